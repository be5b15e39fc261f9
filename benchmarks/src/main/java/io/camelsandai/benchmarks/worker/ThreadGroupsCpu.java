package io.camelsandai.benchmarks.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

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
        return summed(process, ThreadGroupsCpu::group);
    }

    /**
     * Seconds per thread name with its numbering dropped ({@code sandai-result-reader-<scope>} stays one line per
     * scope, {@code GC Thread#3} joins {@code GC Thread}): finer than {@link #of}, to see which of the client's own
     * threads a change moved CPU off.
     */
    static Map<String, Double> byName(ProcessHandle process) {
        return summed(process, ThreadGroupsCpu::withoutNumber);
    }

    /**
     * Context switches (voluntary + involuntary, /proc/<pid>/task/<tid>/status) per thread name, numbering dropped as
     * in {@link #byName}: a thread that parks and is woken per task shows about one voluntary switch per task, which
     * is most of what such a hand-off costs on a VM.
     */
    static Map<String, Double> switchesByName(ProcessHandle process) {
        return perThread(process, "status", status -> {
            String name = "";
            double switches = 0;
            for (String line : status.split("\n")) {
                if (line.startsWith("Name:")) {
                    name = line.substring(5).trim();
                } else if (line.contains("ctxt_switches:")) {
                    switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            return Map.entry(withoutNumber(name), switches);
        });
    }

    private static String withoutNumber(String threadName) {
        return threadName.replaceAll("[-#]?\\d+$", "");
    }

    /** Each thread's CPU seconds (/proc/<pid>/task/<tid>/stat, user + system), summed by {@code key} of its name. */
    private static Map<String, Double> summed(ProcessHandle process, Function<String, String> key) {
        return perThread(process, "stat", stat -> {
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Map.entry(key.apply(name), (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND);
        });
    }

    /**
     * Reads /proc/<pid>/task/<tid>/{@code file} of each thread and sums what {@code read} makes of it by key; an empty
     * map when /proc cannot be read.
     */
    private static Map<String, Double> perThread(ProcessHandle process, String file,
                                                 Function<String, Map.Entry<String, Double>> read) {
        Map<String, Double> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path t : tasks.toList()) {
                String text;
                try {
                    text = Files.readString(t.resolve(file));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                Map.Entry<String, Double> value = read.apply(text);
                out.merge(value.getKey(), value.getValue(), Double::sum);
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    /** µs per task of each thread name that used CPU between the two {@link #byName} snapshots, most first. */
    static String perTaskByName(Map<String, Double> before, Map<String, Double> after, int tasks) {
        return perTaskByName(before, after, Map.of(), Map.of(), tasks);
    }

    /** As {@link #perTaskByName(Map, Map, int)}, with each thread name's context switches per task when given. */
    static String perTaskByName(Map<String, Double> before, Map<String, Double> after,
                                Map<String, Double> switchesBefore, Map<String, Double> switchesAfter, int tasks) {
        StringBuilder out = new StringBuilder();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() > 0)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> {
                    out.append(String.format(java.util.Locale.ROOT, "  %-34s %7.1f µs/task", e.getKey(),
                            e.getValue() * 1e6 / tasks));
                    if (switchesAfter.containsKey(e.getKey())) {
                        double switches = switchesAfter.get(e.getKey()) - switchesBefore.getOrDefault(e.getKey(), 0.0);
                        out.append(String.format(java.util.Locale.ROOT, "  %5.2f switches/task", switches / tasks));
                    }
                    out.append(System.lineSeparator());
                });
        return out.toString();
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
