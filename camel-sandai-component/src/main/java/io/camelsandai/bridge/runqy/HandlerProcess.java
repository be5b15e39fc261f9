package io.camelsandai.bridge.runqy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelsandai.codec.MalformedMessageException;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.util.DaemonThreads;

/**
 * One runqy handler child speaking the runqy-worker stdio protocol: waits for {@code {"status":"ready"}}, writes one
 * JSON request per line, and matches answer lines to requests by {@code task_id}. Lines that are not JSON, or JSON
 * without {@code task_id}, are logged and skipped; answers for unknown ids are dropped. stderr goes to our log.
 */
final class HandlerProcess {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerProcess.class);
    private static final Pattern TASK_ID = Pattern.compile("\"task_id\"\\s*:\\s*\"([^\"\\\\]{1,200})\"");
    static final String CLOSED_MESSAGE = "handler closed while waiting for response";

    private final String label;
    private final Process process;
    private final int maxLineBytes;
    private final Map<String, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final Object writeLock = new Object();
    private final OutputStream stdin;

    /** The child's stdout was closed or the process is gone; carries the runqy-worker wording. */
    static final class ClosedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClosedException(String message) {
            super(message, null, false, false);
        }
    }

    /** The answer line was longer than the line cap. */
    static final class OversizeAnswerException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OversizeAnswerException(String message) {
            super(message, null, false, false);
        }
    }

    private HandlerProcess(String label, Process process, int maxLineBytes) {
        this.label = label;
        this.process = process;
        this.maxLineBytes = maxLineBytes;
        this.stdin = process.getOutputStream();
    }

    /** Starts the child and its stdout/stderr readers; {@link #ready()} tells when it said ready. */
    static HandlerProcess start(RunqyHandlerSettings settings, String label) {
        ProcessBuilder pb = new ProcessBuilder(settings.command());
        if (settings.workingDir() != null) {
            pb.directory(settings.workingDir().toFile());
        }
        pb.environment().putAll(settings.environment());
        // Python buffers stdout when it is a pipe; runqy-python flushes, but an unflushed print must not stall us.
        pb.environment().putIfAbsent("PYTHONUNBUFFERED", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new RunqyHandlerException("cannot start runqy handler " + label + " " + settings.command() + ": "
                                            + e.getMessage(), e);
        }
        HandlerProcess hp = new HandlerProcess(label + "/pid " + p.pid(), p, settings.maxLineBytes());
        hp.thread("stdout", hp::readStdout);
        hp.thread("stderr", hp::readStderr);
        return hp;
    }

    private void thread(String stream, Runnable body) {
        DaemonThreads.start("runqy-" + label + "-" + stream, body);
    }

    String label() {
        return label;
    }

    long pid() {
        return process.pid();
    }

    /** Completes on {@code {"status":"ready"}}; fails with a {@link RunqyHandlerException} saying why not. */
    CompletableFuture<Void> ready() {
        return ready;
    }

    /** Completes with the reason once stdout is closed (the child exited or closed it). */
    CompletableFuture<String> closed() {
        return closed;
    }

    boolean isAlive() {
        return process.isAlive() && !closed.isDone();
    }

    int inFlight() {
        return pending.size();
    }

    /**
     * Writes one request line. The future completes with the answer object, or fails with {@link ClosedException}
     * (retryable) or {@link OversizeAnswerException}.
     */
    CompletableFuture<Map<String, Object>> send(String taskId, Map<String, Object> request) {
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        if (pending.putIfAbsent(taskId, answer) != null) {
            return CompletableFuture.failedFuture(new ClosedException("task " + taskId + " is already in flight on " + label));
        }
        if (closed.isDone()) {
            pending.remove(taskId, answer);
            answer.completeExceptionally(new ClosedException(CLOSED_MESSAGE));
            return answer;
        }
        byte[] line = (PythonJson.encodeToString(request) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            synchronized (writeLock) {
                stdin.write(line);
                stdin.flush();
            }
        } catch (IOException e) {
            pending.remove(taskId, answer);
            answer.completeExceptionally(new ClosedException(CLOSED_MESSAGE + " (write failed: " + e.getMessage() + ")"));
        }
        return answer;
    }

    /** Stops waiting for a task: a late answer will be dropped. True when the task was still waiting. */
    boolean abandon(String taskId, Throwable why) {
        CompletableFuture<Map<String, Object>> f = pending.remove(taskId);
        return f != null && f.completeExceptionally(why);
    }

    /** Terminates the child (and its descendants); pending tasks fail through the stdout reader's end. */
    void destroy() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Waits for the child to exit by itself; forces it after {@code seconds}. */
    void awaitExit(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                LOG.warn("runqy handler {} did not exit after its one-shot answer; terminating it", label);
                destroy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroy();
        }
    }

    private void readStdout() {
        String reason;
        try (InputStream in = process.getInputStream()) {
            BoundedLineReader reader = new BoundedLineReader(in, maxLineBytes);
            BoundedLineReader.Line line;
            while ((line = reader.next()) != null) {
                onLine(line);
            }
            reason = endReason();
        } catch (IOException | RuntimeException e) {
            reason = endReason() + " (" + e.getMessage() + ")";
            process.destroy();
        }
        finish(reason);
    }

    private String endReason() {
        if (ready.isDone()) {
            return CLOSED_MESSAGE;
        }
        try {
            // stdout closes just before the exit status is known; a short wait tells an exit from a closed stream.
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                return "process exited during startup with code " + process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "stdout closed before ready signal";
    }

    private void finish(String reason) {
        ready.completeExceptionally(new RunqyHandlerException("runqy handler " + label + ": " + reason));
        closed.complete(reason);
        for (String id : List.copyOf(pending.keySet())) {
            abandon(id, new ClosedException(CLOSED_MESSAGE));
        }
    }

    private void onLine(BoundedLineReader.Line line) {
        if (line.tooLong()) {
            onOversizeLine(line);
            return;
        }
        if (line.bytes().length == 0) {
            return;
        }
        Object parsed;
        try {
            parsed = PythonJson.decode(line.bytes());
        } catch (MalformedMessageException e) {
            LOG.warn("runqy handler {}: skipping a stdout line that is not JSON: {}", label, shorten(line.bytes()));
            return;
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            LOG.warn("runqy handler {}: skipping a stdout line that is not a JSON object: {}", label, shorten(line.bytes()));
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> message = (Map<String, Object>) map;
        if (!ready.isDone()) {
            onStartupMessage(message);
            return;
        }
        Object id = message.get("task_id");
        if (id == null) {
            LOG.debug("runqy handler {}: status/log line ignored: {}", label, shorten(line.bytes()));
            return;
        }
        CompletableFuture<Map<String, Object>> waiting = pending.remove(String.valueOf(id));
        if (waiting == null) {
            LOG.info("runqy handler {}: dropping an answer for task {} that nobody waits for (timed out or unknown)",
                    label, id);
            return;
        }
        waiting.complete(message);
    }

    private void onStartupMessage(Map<String, Object> message) {
        Object status = message.get("status");
        if ("ready".equals(status)) {
            LOG.info("runqy handler {} is ready", label);
            ready.complete(null);
        } else if ("error".equals(status)) {
            ready.completeExceptionally(new RunqyHandlerException("runqy handler " + label
                    + " reported a startup error: " + message.get("error")));
            process.destroy();
        } else {
            LOG.debug("runqy handler {}: line before ready ignored", label);
        }
    }

    private void onOversizeLine(BoundedLineReader.Line line) {
        String message = "answer line of " + line.length() + " bytes exceeds the " + maxLineBytes + "-byte line limit";
        Matcher m = TASK_ID.matcher(new String(line.bytes(), StandardCharsets.UTF_8));
        String id = m.find() ? m.group(1) : null;
        if (id != null && abandon(id, new OversizeAnswerException(message))) {
            LOG.error("runqy handler {}: task {}: {}; the task fails, the handler keeps serving", label, id, message);
        } else {
            LOG.error("runqy handler {}: skipped a stdout line: {} (no waiting task_id found in it)", label, message);
        }
    }

    private void readStderr() {
        try (InputStream in = process.getErrorStream()) {
            BoundedLineReader reader = new BoundedLineReader(in, 64 * 1024);
            BoundedLineReader.Line line;
            while ((line = reader.next()) != null) {
                LOG.info("[{}] {}{}", label, new String(line.bytes(), StandardCharsets.UTF_8),
                        line.tooLong() ? "... (" + line.length() + " bytes)" : "");
            }
        } catch (IOException e) {
            LOG.debug("runqy handler {}: stderr closed: {}", label, e.getMessage());
        }
    }

    private static String shorten(byte[] bytes) {
        String s = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8);
        return bytes.length > 200 ? s + "... (" + bytes.length + " bytes)" : s;
    }

    @Override
    public String toString() {
        return "HandlerProcess[" + label + "]";
    }
}
