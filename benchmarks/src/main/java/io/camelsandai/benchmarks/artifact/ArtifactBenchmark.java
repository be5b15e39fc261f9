package io.camelsandai.benchmarks.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.camelsandai.artifact.ArtifactSettings;
import io.camelsandai.artifact.ArtifactStores;
import io.camelsandai.artifact.ArtifactTransfer;
import io.camelsandai.model.Artifact;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * Artifact transfer throughput against an in-process S3Proxy (filesystem backend): 200 x 1 MiB and 1 x 1 GiB, up
 * and down, with this library ({@link ArtifactTransfer}, AWS SDK v2) and with Python boto3 doing the same transfers
 * against the same S3Proxy in the same run, both at the same concurrency and part size. Prints a Markdown table.
 *
 * <pre>mvn -o -q -pl camel-sandai-component -am install -DskipTests &amp;&amp; mvn -o -q -pl benchmarks exec:exec@artifacts</pre>
 */
public final class ArtifactBenchmark {
    static final long MIB = 1024L * 1024;
    static final int SMALL_COUNT = 200;
    static final long SMALL_SIZE = MIB;
    static final long BIG_SIZE = 1024 * MIB;
    static final int CONCURRENCY = 4;
    static final String ACCESS = "bench-access";
    static final String SECRET = "bench-secret";
    static final String BUCKET = "bench";
    static final int ROUNDS = 2;

    private ArtifactBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory("artifact-bench-");
        Path s3Dir = Files.createDirectories(root.resolve("s3"));
        Path smallDir = Files.createDirectories(root.resolve("small"));
        Path scratch = Files.createDirectories(root.resolve("scratch"));
        for (int i = 0; i < SMALL_COUNT; i++) {
            generate(smallDir.resolve(String.format(Locale.ROOT, "f%03d.bin", i)), SMALL_SIZE, i);
        }
        Path big = generate(root.resolve("big.bin"), BIG_SIZE, 1000);

        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", s3Dir.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                .overrides(props).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        proxy.start();
        waitStarted(proxy);
        context.getBlobStore().createContainerInLocation(null, BUCKET);
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());

        try {
            // Untimed warm-up of S3Proxy (it shares this JVM and its JIT) and of our code paths.
            runJava(endpoint, smallDir, null, scratch, "warm");
            HeapSampler heap = HeapSampler.start();
            // Two rounds in alternating order so neither side always meets a warmer server; best time per phase kept.
            Map<String, Double> java = new LinkedHashMap<>();
            Map<String, Double> python = new LinkedHashMap<>();
            for (int round = 1; round <= ROUNDS; round++) {
                if (round % 2 == 1) {
                    best(java, runJava(endpoint, smallDir, big, scratch, "java/r" + round));
                    best(python, runPython(endpoint, smallDir, big, scratch, "py/r" + round));
                } else {
                    best(python, runPython(endpoint, smallDir, big, scratch, "py/r" + round));
                    best(java, runJava(endpoint, smallDir, big, scratch, "java/r" + round));
                }
            }
            printTable(java, python, heap.stop());
        } finally {
            proxy.stop();
            context.close();
            deleteTree(root);
        }
    }

    private static void best(Map<String, Double> acc, Map<String, Double> round) {
        round.forEach((k, v) -> acc.merge(k, v, Math::min));
    }

    /** One round of this library's transfers; {@code big == null} skips the 1 GiB phases. */
    private static Map<String, Double> runJava(URI endpoint, Path smallDir, Path big, Path scratch, String prefix)
            throws IOException {
        ArtifactSettings settings = ArtifactSettings.builder().s3Endpoint(endpoint).s3PathStyle(true).s3Region("us-east-1")
                .s3Credentials(ACCESS, SECRET).downloadConcurrency(CONCURRENCY).uploadConcurrency(CONCURRENCY)
                .multipartThreshold(16 * MIB).multipartPartSize(8 * MIB).build();
        List<Path> smallFiles;
        try (var listing = Files.list(smallDir)) {
            smallFiles = listing.sorted().toList();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        try (ArtifactStores stores = ArtifactStores.standard(settings);
             ArtifactTransfer transfer = new ArtifactTransfer(stores, settings)) {
            String base = "s3://" + BUCKET + "/" + prefix;
            Path local = scratch.resolve(prefix.replace('/', '-'));
            List<ArtifactTransfer.Upload> jobs = new ArrayList<>();
            for (Path f : smallFiles) {
                jobs.add(new ArtifactTransfer.Upload(f, base + "/small/" + f.getFileName(), "s", null));
            }
            long t0 = System.nanoTime();
            List<Artifact> uploaded = transfer.uploadAll(jobs);
            out.put("upload_small", seconds(t0));

            List<Path> targets = new ArrayList<>();
            for (Path f : smallFiles) {
                targets.add(local.resolve("small").resolve(f.getFileName()));
            }
            t0 = System.nanoTime();
            transfer.downloadAll(uploaded, targets);
            out.put("download_small", seconds(t0));

            if (big != null) {
                t0 = System.nanoTime();
                Artifact bigUp = transfer.upload(big, base + "/big.bin", "b", null);
                out.put("upload_big", seconds(t0));

                t0 = System.nanoTime();
                transfer.download(bigUp, local.resolve("big.bin"));
                out.put("download_big", seconds(t0));
                Files.delete(local.resolve("big.bin"));
            }
        }
        return out;
    }

    private static Map<String, Double> runPython(URI endpoint, Path smallDir, Path big, Path scratch, String prefix)
            throws Exception {
        Path script = scratch.resolve("artifact_boto3_bench.py");
        if (!Files.exists(script)) {
            try (InputStream in = ArtifactBenchmark.class.getResourceAsStream("/artifact_boto3_bench.py")) {
                Files.copy(in, script);
            }
        }
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), endpoint.toString(), ACCESS, SECRET, BUCKET,
                smallDir.toString(), big.toString(), scratch.toString(), String.valueOf(CONCURRENCY), prefix)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("boto3 benchmark failed:\n" + output);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\": ([0-9.eE+-]+)").matcher(output.lines()
                .filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
        while (m.find()) {
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }

    private static void printTable(Map<String, Double> java, Map<String, Double> python, long heapPeak) {
        System.out.println("| transfer | camel-sandai (AWS SDK v2) MB/s | boto3 MB/s | ratio Java/boto3 |");
        System.out.println("|---|---:|---:|---:|");
        row("upload 200 x 1 MiB", "upload_small", SMALL_COUNT * SMALL_SIZE, java, python);
        row("download 200 x 1 MiB", "download_small", SMALL_COUNT * SMALL_SIZE, java, python);
        row("upload 1 x 1 GiB", "upload_big", BIG_SIZE, java, python);
        row("download 1 x 1 GiB", "download_big", BIG_SIZE, java, python);
        System.out.printf(Locale.ROOT, "%nJava heap in use, highest sample over all rounds (S3Proxy in the same JVM "
                                       + "included): %d MiB (max heap %d MiB)%n", heapPeak / MIB, Runtime.getRuntime().maxMemory() / MIB);
    }

    private static void row(String label, String key, long bytes, Map<String, Double> java, Map<String, Double> python) {
        double j = bytes / 1e6 / java.get(key);
        double p = bytes / 1e6 / python.get(key);
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |%n", label, j, p, j / p);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static Path generate(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buf = new byte[(int) Math.min(size, MIB)];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buf.length) {
                random.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
        return file;
    }

    private static void waitStarted(S3Proxy proxy) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            // S3Proxy has no start callback; its state flips within a few milliseconds.
            TimeUnit.MILLISECONDS.sleep(20);
        }
        if (!"STARTED".equals(proxy.getState())) {
            throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
    }

    /** Samples the heap in use every 5 ms: a sum of per-pool peaks would overstate it (pools peak at different times). */
    static final class HeapSampler implements Runnable {
        private final Thread thread = new Thread(this, "heap-sampler");
        private volatile boolean running = true;
        private volatile long peak;

        static HeapSampler start() {
            HeapSampler s = new HeapSampler();
            s.thread.setDaemon(true);
            s.thread.start();
            return s;
        }

        @Override
        public void run() {
            var memory = ManagementFactory.getMemoryMXBean();
            while (running) {
                peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                try {
                    TimeUnit.MILLISECONDS.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long stop() throws InterruptedException {
            running = false;
            thread.join();
            return peak;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
