package io.camelsandai.benchmarks.worker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import redis.clients.jedis.Jedis;

/**
 * Where Redis spends its time, per task: {@code INFO commandstats} since the last {@code CONFIG RESETSTAT}, divided
 * by the tasks of the phase. Scripts count once as EVALSHA plus once per command they call, so the script lines
 * include the commands inside them.
 */
public final class CommandStats {
    public record Line(String command, long calls, long usec) {
    }

    private CommandStats() {
    }

    public static List<Line> read(Jedis admin) {
        List<Line> lines = new ArrayList<>();
        for (String raw : admin.info("commandstats").split("\r?\n")) {
            if (!raw.startsWith("cmdstat_")) {
                continue;
            }
            String command = raw.substring("cmdstat_".length(), raw.indexOf(':'));
            long calls = 0;
            long usec = 0;
            for (String field : raw.substring(raw.indexOf(':') + 1).split(",")) {
                if (field.startsWith("calls=")) {
                    calls = Long.parseLong(field.substring(6));
                } else if (field.startsWith("usec=")) {
                    usec = Long.parseLong(field.substring(5));
                }
            }
            lines.add(new Line(command, calls, usec));
        }
        lines.sort(Comparator.comparingLong(Line::usec).reversed());
        return lines;
    }

    /** One line per command: calls per task and µs per task (command execution time only, not I/O). */
    public static String perTask(Jedis admin, int tasks) {
        StringBuilder out = new StringBuilder();
        for (Line l : read(admin)) {
            out.append(String.format(Locale.ROOT, "  %-16s %6.2f calls/task %7.2f µs/task%n", l.command(),
                    (double) l.calls() / tasks, (double) l.usec() / tasks));
        }
        return out.toString();
    }

    /** Commands Redis executed in total (scripts' inner calls included), for the idle-cost row. */
    public static long totalCalls(Jedis admin) {
        return read(admin).stream().mapToLong(Line::calls).sum();
    }
}
