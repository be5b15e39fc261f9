package io.camelsandai.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A child process whose stdout and stderr go to files (never to pipes that could fill up and block
 * it), which is registered with {@link ProcessReaper} so it cannot outlive the test JVM, and which
 * can be stopped politely ({@link #terminate}) or brutally ({@link #kill}) together with its
 * descendants.
 */
public final class ManagedProcess implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");

    private final String name;
    private final List<String> command;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ManagedProcess(String name, List<String> command, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.command = List.copyOf(command);
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code command} with log files {@code <logDir>/<name>-<time>-<n>.stdout.log} / {@code .stderr.log}.
     *
     * @param envChanges environment entries to set; a {@code null} value removes the variable
     */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> envChanges,
                                       Path workDir, Path logDir) {
        return start(name, command, env -> envChanges.forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        }), workDir, logDir);
    }

    static ManagedProcess start(String name, List<String> command, Consumer<Map<String, String>> envEditor,
                                Path workDir, Path logDir) {
        String base = name + "-" + LocalTime.now().format(TIME) + "-" + SEQUENCE.incrementAndGet();
        Path out = logDir.resolve(base + ".stdout.log");
        Path err = logDir.resolve(base + ".stderr.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        envEditor.accept(builder.environment());
        try {
            Process process = builder.start();
            ProcessReaper.register(process.toHandle());
            return new ManagedProcess(name, command, process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    public String name() {
        return name;
    }

    public List<String> command() {
        return command;
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path stdoutLog() {
        return stdout;
    }

    public Path stderrLog() {
        return stderr;
    }

    /** Exit code, or throws if the process is still running. */
    public int exitValue() {
        return process.exitValue();
    }

    /** The last {@code lines} of stdout and of stderr, titled, for failure messages. */
    public String logTail(int lines) {
        return logTail(lines, lines);
    }

    /** Separate budgets: a Celery worker's stdout is mostly its banner, its log is on stderr. */
    public String logTail(int stdoutLines, int stderrLines) {
        return LogTail.block(name + " pid " + pid() + " stdout", stdout, stdoutLines)
                + LogTail.block(name + " pid " + pid() + " stderr", stderr, stderrLines);
    }

    /** Blocks until the process exits or the timeout passes; true if it exited. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * SIGTERM (the clean-shutdown signal for both redis-server and Celery), wait up to {@code grace},
     * then SIGKILL whatever of the tree is left.
     *
     * @return true if the process exited by itself within the grace period
     */
    public boolean terminate(Duration grace) {
        if (!process.isAlive()) {
            ProcessReaper.unregister(process.toHandle());
            return true;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        boolean clean = awaitExit(grace);
        if (!clean) {
            ProcessReaper.killTree(process.toHandle());
            awaitExit(Duration.ofSeconds(10));
        }
        // Children of a cleanly stopped parent normally exit with it; make sure of it.
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        ProcessReaper.awaitGone(descendants, Duration.ofSeconds(10));
        ProcessReaper.unregister(process.toHandle());
        return clean;
    }

    /** SIGKILL the process and all its descendants (simulates a crash), and wait for the exit. */
    public void kill() {
        List<ProcessHandle> descendants = ProcessReaper.killTree(process.toHandle());
        awaitExit(Duration.ofSeconds(10));
        ProcessReaper.awaitGone(descendants, Duration.ofSeconds(10));
        ProcessReaper.unregister(process.toHandle());
    }

    /** Clean stop with a 20 s grace period. */
    @Override
    public void close() {
        terminate(Duration.ofSeconds(20));
    }

    @Override
    public String toString() {
        return name + "[pid " + pid() + (isAlive() ? ", alive" : ", exited") + "]";
    }
}
