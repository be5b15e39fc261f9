package io.camelsandai.benchmarks.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import redis.clients.jedis.Jedis;

/**
 * Read and write system calls of the redis-server process ({@code syscr}/{@code syscw} of {@code /proc/<pid>/io}),
 * which cost nothing to read. For small commands Redis's CPU follows its round trips (one read and one write per
 * client per event-loop turn) more than its commands, so these counts per task say whether batching helped.
 */
final class RedisSyscalls {
    record Snapshot(long reads, long writes, long commands) {
    }

    private RedisSyscalls() {
    }

    /** Null when redis-server is not a local process this user can read (e.g. a remote server). */
    static Snapshot take(Jedis admin) {
        long pid = -1;
        long commands = 0;
        for (String line : admin.info("server").split("\r?\n")) {
            if (line.startsWith("process_id:")) {
                pid = Long.parseLong(line.substring("process_id:".length()).trim());
            }
        }
        for (String line : admin.info("stats").split("\r?\n")) {
            if (line.startsWith("total_commands_processed:")) {
                commands = Long.parseLong(line.substring("total_commands_processed:".length()).trim());
            }
        }
        try {
            long reads = -1;
            long writes = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
                if (line.startsWith("syscr:")) {
                    reads = Long.parseLong(line.substring(6).trim());
                } else if (line.startsWith("syscw:")) {
                    writes = Long.parseLong(line.substring(6).trim());
                }
            }
            return new Snapshot(reads, writes, commands);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String perTask(Snapshot before, Snapshot after, int tasks) {
        if (before == null || after == null) {
            return "  (redis-server's /proc/<pid>/io not readable)";
        }
        return String.format(Locale.ROOT, "  syscalls/task: read %.2f write %.2f; commands/task %.2f (scripts' inner "
                        + "calls included, INFO/CONFIG of the benchmark too)", (double) (after.reads() - before.reads()) / tasks,
                (double) (after.writes() - before.writes()) / tasks, (double) (after.commands() - before.commands()) / tasks);
    }
}
