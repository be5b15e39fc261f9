package io.camelsandai.benchmarks.worker;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU of a worker JVM's threads by kind, from Linux's {@code /proc/<pid>/task/<tid>/stat}: the JIT compilers and the
 * garbage collector apart from the rest (the runtime's own threads and the AMQP client's). A JVM started for one
 * benchmark row is still compiling during the measured drain; its JIT time is noise for a comparison of the code it
 * runs, so the rows report it apart.
 */
final class ThreadCpu {
    /** Ticks of {@code utime + stime} by kind: {@code jit}, {@code gc}, {@code rest}. */
    record Snapshot(Map<String, Long> ticks) {
        /** Milliseconds per 1000 tasks of each kind since {@code before}, as {@code rest/jit/gc}. */
        String per1000Since(Snapshot before, int tasks) {
            StringBuilder out = new StringBuilder();
            for (String kind : new String[]{"rest", "jit", "gc"}) {
                long spent = ticks.getOrDefault(kind, 0L) - before.ticks().getOrDefault(kind, 0L);
                out.append(out.isEmpty() ? "" : "/").append(Math.round(spent * TICK_MILLIS * 1000.0 / tasks));
            }
            return out.toString();
        }
    }

    private static final double TICK_MILLIS = 10; // USER_HZ = 100 on Linux

    private ThreadCpu() {
    }

    static Snapshot take(ProcessHandle process) {
        Map<String, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(process.pid()),
                "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                // "<tid> (<comm>) <state> ...": utime and stime are the 12th and 13th fields after the comm
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.merge(kind(comm), Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
            }
        } catch (IOException e) {
            return new Snapshot(Map.of());
        }
        return new Snapshot(ticks);
    }

    private static String kind(String comm) {
        if (comm.contains("CompilerThre")) {
            return "jit";
        }
        if (comm.startsWith("GC ") || comm.startsWith("G1 ")) {
            return "gc";
        }
        return "rest";
    }
}
