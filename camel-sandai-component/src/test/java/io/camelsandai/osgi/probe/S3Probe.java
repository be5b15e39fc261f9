package io.camelsandai.osgi.probe;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import io.camelsandai.artifact.ArtifactException;
import io.camelsandai.artifact.ArtifactSettings;
import io.camelsandai.artifact.ArtifactStat;
import io.camelsandai.artifact.ArtifactStore;
import io.camelsandai.artifact.ArtifactStores;
import io.camelsandai.artifact.StoredArtifact;

/**
 * Runs INSIDE the OSGi framework (next to {@link RouteProbe}): stages an object to S3 and back through
 * io.camelsandai.artifact, so the AWS SDK runs from the bundles of the camel-sandai-s3 feature. An object larger
 * than the multipart threshold exercises the multipart upload (and its part-uploader threads) as well. It never
 * names an SDK type itself; it talks to the test through {@code java.*} types only.
 */
public class S3Probe implements Function<Map<String, Object>, Map<String, Object>> {
    private static final long MIB = ArtifactSettings.MIB;

    @Override
    public Map<String, Object> apply(Map<String, Object> input) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // As for an application bundle in Karaf: the context loader sees this bundle, not the test's class path
        // (which holds a second copy of the SDK that must not be picked up).
        thread.setContextClassLoader(S3Probe.class.getClassLoader());
        ArtifactSettings settings = ArtifactSettings.builder()
                .s3Endpoint(URI.create((String) input.get("endpoint"))).s3PathStyle(true).s3Region("us-east-1")
                .s3Credentials((String) input.get("accessKey"), (String) input.get("secretKey"))
                .multipartThreshold(5 * MIB).multipartPartSize(5 * MIB).build();
        Map<String, Object> out = new LinkedHashMap<>();
        try (ArtifactStores stores = ArtifactStores.standard(settings)) {
            URI uri = URI.create("s3://" + input.get("bucket") + "/osgi/probe.bin");
            ArtifactStore store = stores.storeFor(uri);
            out.put("storeLoader", String.valueOf(store.getClass().getClassLoader()));
            if (Boolean.TRUE.equals(input.get("expectNoSdk"))) {
                return out; // storeFor succeeded although the SDK should be absent: the test fails on the missing key
            }
            // The S3Client the store built, seen only as an Object: which bundle loaded it.
            Object client = store.getClass().getMethod("client").invoke(store);
            out.put("clientLoader", String.valueOf(client.getClass().getClassLoader()));

            byte[] data = new byte[(int) (12 * MIB + 12345)];
            new Random(42).nextBytes(data);
            StoredArtifact stored = store.write(uri, new ByteArrayInputStream(data), data.length, "application/x-probe");
            out.put("writtenSha256", stored.sha256());
            out.put("writtenSize", stored.size());
            ArtifactStat stat = store.stat(uri);
            out.put("statSize", stat.size());
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long read = 0;
            try (InputStream in = store.openRead(uri)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0;) {
                    digest.update(buf, 0, n);
                    read += n;
                }
            }
            out.put("readSize", read);
            out.put("readSha256", HexFormat.of().formatHex(digest.digest()));
            out.put("expectedSha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
            store.delete(uri);
            out.put("existsAfterDelete", store.stat(uri).exists());
            return out;
        } catch (ArtifactException e) {
            out.put("error", e.getClass().getName() + ": " + e.getMessage());
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
