package io.camelsandai.benchmarks.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A worker JVM's CPU seconds (Linux /proc, user + system) summed by kind of thread, so that a difference between two
 * workers can be put where it is spent: the runtime's own threads (task threads, taker, writers), the JIT compilers,
 * the garbage collector, the OpenTelemetry SDK's batch processor, and the rest.
 */
final class ThreadGroupsCpu {
    static final String RUNTIME = "runtime";
    static final String JIT = "jit";
    static final String GC = "gc";
    static final String SPAN_PROCESSOR = "spans";
    static final String OTHER = "other";
    static final List<String> GROUPS = List.of(RUNTIME, JIT, GC, SPAN_PROCESSOR, OTHER);

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ

    private ThreadGroupsCpu() {
    }

    /** Seconds per group; an empty map when /proc cannot be read. */
    static Map<String, Double> of(ProcessHandle process) {
        Map<String, Double> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path t : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                out.merge(group(name), seconds, Double::sum);
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    /** What {@code after} adds to {@code before}, per group. */
    static Map<String, Double> between(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> out = new TreeMap<>();
        for (String g : GROUPS) {
            out.put(g, after.getOrDefault(g, 0.0) - before.getOrDefault(g, 0.0));
        }
        return out;
    }

    private static String group(String threadName) {
        if (threadName.startsWith("sandai-")) {
            return RUNTIME;
        }
        if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
            return JIT;
        }
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.equals("VM Thread")) {
            return GC;
        }
        if (threadName.startsWith("BatchSpanProces")) {
            return SPAN_PROCESSOR;
        }
        return OTHER;
    }
}
