package io.camelsandai.benchmarks.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * A worker under test in its own process (a Celery worker or a Java runtime JVM). It counts as ready when it prints
 * {@link #READY_LINE} on standard output; standard error goes to a log file kept for post-mortems.
 */
final class WorkerProcess implements AutoCloseable {
    static final String READY_LINE = "SANDAI_BENCH_WORKER_READY";
    private static final int KEPT_LINES = 20;

    private final String label;
    private final Process process;
    private final Path log;

    private WorkerProcess(String label, Process process, Path log) {
        this.label = label;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} and returns once it printed the ready line; fails if it exits or stays silent. */
    static WorkerProcess start(String label, List<String> command, Map<String, String> env, Duration readyWithin)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("sandai-bench-" + label.replaceAll("[^A-Za-z0-9]+", "-"), ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        WorkerProcess worker = new WorkerProcess(label, process, log);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Deque<String> lastLines = new ArrayDeque<>();
        Thread reader = new Thread(() -> readStdout(process, ready, lastLines), "bench-stdout-" + label);
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(readyWithin.toMillis(), TimeUnit.MILLISECONDS);
            return worker;
        } catch (ExecutionException | TimeoutException e) {
            worker.close();
            String tail;
            synchronized (lastLines) {
                tail = String.join("\n", lastLines);
            }
            throw new IllegalStateException(label + " did not become ready (" + e + "); stdout tail:\n" + tail
                                            + "\nstderr in " + log);
        }
    }

    /** Drains stdout for the whole life of the process (a full pipe would stall it). */
    private static void readStdout(Process process, CompletableFuture<Void> ready, Deque<String> lastLines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.contains(READY_LINE)) {
                    ready.complete(null);
                }
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
        ready.completeExceptionally(new IllegalStateException("exited with " + exitCode(process)));
    }

    private static String exitCode(Process p) {
        try {
            return p.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(p.exitValue()) : "(still running)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    String label() {
        return label;
    }

    Path log() {
        return log;
    }

    /** SIGTERM (graceful: a Celery warm shutdown, the runtime's close hook); SIGKILL of the tree if it lingers. */
    /** CPU seconds per thread name (Linux /proc), busiest first; for finding a worker's bottleneck. */
    String threadCpu() {
        Map<String, Double> byName = new TreeMap<>();
        double tick = 100.0; // USER_HZ
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path t : tasks.toList()) {
                String stat = Files.readString(t.resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+$", "N");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / tick;
                byName.merge(name, cpu, Double::sum);
            }
        } catch (IOException | RuntimeException e) {
            return "(no /proc: " + e + ")";
        }
        return byName.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s=%.2fs", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
