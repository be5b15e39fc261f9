package io.camelsandai.artifact;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;

/**
 * Runs in a child JVM with a small heap ({@code -Xmx256m}): uploads a generated object of the given size, lets a
 * staging handler download it, copy it to an output and upload that, then downloads the output and checks its
 * sha256. Prints {@code OK <sha256> <heap peak bytes>} on success. S3Proxy runs in the parent, so the heap measured
 * here is ours alone.
 */
public final class LargeArtifactChild {
    private LargeArtifactChild() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        long size = Long.parseLong(args[1]);
        Path work = Path.of(args[2]);
        ArtifactSettings settings = ArtifactSettings.builder().s3Endpoint(endpoint).s3PathStyle(true).s3Region("us-east-1")
                .s3Credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY).workDir(work.resolve("work"))
                .outputUri("s3://bucket/outputs").build();
        try (ArtifactStores stores = ArtifactStores.standard(settings);
             StagingClient client = new StagingClient(null, stores, settings);
             StagingOperatorHandler handler = new StagingOperatorHandler(task -> CompletableFuture.supplyAsync(() -> {
                 try {
                     Path in = task.request().inputArtifact("blob").localPath();
                     Path out = StagingOperatorHandler.outputDir(task).resolve("copy.bin");
                     Files.copy(in, out);
                     return OperatorResult.success(List.of(StagingOperatorHandler.output("copy", out)), Map.of());
                 } catch (Exception e) {
                     throw new RuntimeException(e);
                 }
             }), stores, settings, "soak", "v1")) {
            URI input = URI.create("s3://bucket/inputs/blob.bin");
            StoredArtifact stored = stores.storeFor(input).write(input, TestData.stream(size, 99), -1, null);
            OperatorRequest request = OperatorRequest.of(List.of(Artifact.builder().uri(input.toString()).slot("blob")
                    .size(stored.size()).sha256(stored.sha256()).build()), Map.of());
            OperatorResult result = handler.handle(SimpleTask.fromWire("soak-task", request)).toCompletableFuture()
                    .get(30, TimeUnit.MINUTES);
            if (!result.isSuccess()) {
                throw new IllegalStateException("task failed: " + result.error());
            }
            Artifact fetched = client.downloadOutputs(result, work.resolve("fetched")).get(0);
            if (!stored.sha256().equals(fetched.sha256()) || fetched.size() != size) {
                throw new IllegalStateException("round trip changed the bytes");
            }
            Files.delete(fetched.localPath());
            System.out.println("OK " + stored.sha256() + " " + heapPeak());
        }
    }

    static long heapPeak() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
