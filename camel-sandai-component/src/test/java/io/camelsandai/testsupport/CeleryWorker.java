package io.camelsandai.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A running stock {@code celery worker} (see {@link PythonCelery#startWorker}). It is consuming when
 * you get it: the handle is only returned after Celery's {@code worker_ready} signal.
 *
 * <p>{@link #close()} is a clean stop (SIGTERM = Celery warm shutdown: running tasks finish, prefetched
 * unacked messages are restored to their queue); {@link #kill()} is a crash (SIGKILL of the whole
 * process tree, prefork children included).
 */
public final class CeleryWorker implements AutoCloseable {

    private final ManagedProcess process;
    private final CeleryWorkerOptions options;
    private final JsonNode ready;

    CeleryWorker(ManagedProcess process, CeleryWorkerOptions options, JsonNode ready) {
        this.process = process;
        this.options = options;
        this.ready = ready;
    }

    /** The expanded node name reported at readiness, e.g. {@code sandai-test-1a2b3c4d@myhost}. */
    public String hostname() {
        return ready.path("hostname").asText();
    }

    public List<String> queues() {
        return options.queues();
    }

    public CeleryWorkerOptions options() {
        return options;
    }

    public long pid() {
        return process.pid();
    }

    /** Current child processes (the prefork pool's workers; empty for solo/threads). */
    public List<Long> childPids() {
        return process.process().descendants().map(ProcessHandle::pid).toList();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int exitCode() {
        return process.exitValue();
    }

    /** Celery writes its log to stderr; stdout only carries the readiness line and prints from tasks. */
    public Path stderrLog() {
        return process.stderrLog();
    }

    public Path stdoutLog() {
        return process.stdoutLog();
    }

    public String logTail(int lines) {
        return process.logTail(lines);
    }

    /**
     * Waits until the worker's log (stderr) contains {@code fragment}, e.g. a task id followed by
     * {@code " received"}; fails with the log tail otherwise.
     */
    public void awaitLog(String fragment, Duration timeout) {
        try {
            Awaitility.await("worker log containing '" + fragment + "'")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> Files.readString(process.stderrLog()).contains(fragment));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + logTail(40), e);
        }
    }

    /** Clean stop: SIGTERM, wait up to the options' stop timeout, then SIGKILL the tree. True if it stopped cleanly. */
    public boolean stop() {
        return process.terminate(options.stopTimeout());
    }

    /** SIGKILL of the worker and all its children, as in a crash; returns when they are gone. */
    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        stop();
    }

    ManagedProcess process() {
        return process;
    }

    @Override
    public String toString() {
        return "CeleryWorker[" + hostname() + ", pid " + pid() + ", queues " + queues() + "]";
    }

    static JsonNode readReadyFile(Path file) {
        try {
            return ScriptResult.JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new AssertionError("unreadable ready file " + file, e);
        }
    }
}
