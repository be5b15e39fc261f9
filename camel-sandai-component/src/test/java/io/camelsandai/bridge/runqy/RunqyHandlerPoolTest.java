package io.camelsandai.bridge.runqy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskStatus;

/** RunqyHandlerPool driving a real Python handler that speaks the runqy-python stdio protocol. */
class RunqyHandlerPoolTest {
    static final String PYTHON = "/usr/bin/python3";
    private final List<RunqyHandlerPool> pools = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void stopPools() {
        pools.forEach(RunqyHandlerPool::close);
    }

    static Path handlerScript() {
        try {
            return Path.of(RunqyHandlerPoolTest.class.getResource("/runqy/runqy_handler.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static RunqyHandlerSettings.Builder settings() {
        return RunqyHandlerSettings.builder(List.of(PYTHON, handlerScript().toString()))
                .workingDir(handlerScript().getParent()).startupTimeout(Duration.ofSeconds(15))
                .taskTimeout(Duration.ofSeconds(15)).restartBackoff(Duration.ofMillis(100));
    }

    private RunqyHandlerPool started(Consumer<RunqyHandlerSettings.Builder> tune) {
        RunqyHandlerSettings.Builder b = settings();
        tune.accept(b);
        RunqyHandlerPool pool = new RunqyHandlerPool(b.build());
        pools.add(pool);
        pool.start();
        return pool;
    }

    private static OperatorResult run(RunqyHandlerPool pool, Map<String, Object> options) {
        return pool.handle(SimpleOperatorTask.of(options)).toCompletableFuture().join();
    }

    @Test
    void slowLoadThenSuccessCarriesPayloadAndResult() {
        RunqyHandlerPool pool = started(b -> b.environment("HANDLER_LOAD_SECONDS", "1"));
        assertFalse(pool.isDegraded());
        Artifact local = Artifact.builder().uri("s3://b/in.mp4").slot("video").localPath(tmp.resolve("in.mp4")).build();
        OperatorResult r = pool.handle(SimpleOperatorTask.of(List.of(local, Artifact.of("s3://b/other", "aux")),
                Map.of("clip", 3))).toCompletableFuture().join();

        assertEquals(TaskStatus.SUCCESS, r.status(), () -> String.valueOf(r.error()));
        assertEquals(Map.of("clip", 3L), r.results().get("echo"));
        assertEquals("m1", r.results().get("model"));
        List<?> inputs = (List<?>) r.results().get("inputs");
        assertEquals(tmp.resolve("in.mp4").toString(), ((Map<?, ?>) inputs.get(0)).get("path"));
        assertFalse(((Map<?, ?>) inputs.get(1)).containsKey("path"), "no path without a local file");
    }

    @Test
    void handlerErrorsBecomeFailedResultsWithTheirRetryFlag() {
        RunqyHandlerPool pool = started(b -> { });
        OperatorResult raised = run(pool, Map.of("raise", "bad input"));
        assertEquals(TaskStatus.FAILED, raised.status());
        assertEquals("HandlerError", raised.error().type());
        assertEquals("bad input", raised.error().message());
        assertFalse(raised.error().retryable(), "runqy-python exceptions are permanent");

        OperatorResult retry = run(pool, Map.of("retry_error", "GPU busy"));
        assertEquals("GPU busy", retry.error().message());
        assertTrue(retry.error().retryable());
    }

    @Test
    void noisyStdoutAndForeignAnswersAreSkipped() {
        RunqyHandlerPool pool = started(b -> { });
        OperatorResult r = run(pool, Map.of("noise", true, "n", 1));
        assertEquals(TaskStatus.SUCCESS, r.status());
        assertEquals(Map.of("noise", true, "n", 1L), r.results().get("echo"));
    }

    @Test
    void timeoutAnswersTheTaskKeepsTheChildAndDropsTheLateAnswer() {
        RunqyHandlerPool pool = started(b -> b.taskTimeout(Duration.ofMillis(700)));
        long pid = pool.processIds().get(0);

        OperatorResult slow = run(pool, Map.of("sleep", 2));
        assertEquals("TaskTimeout", slow.error().type());
        assertTrue(slow.error().retryable());

        OperatorResult garbage = run(pool, Map.of("garbage", true));
        assertEquals("TaskTimeout", garbage.error().type(), "an answer that is not JSON is never matched");

        // The late answer of the slow task arrives meanwhile and is dropped; the same child serves on.
        OperatorResult next = run(pool, Map.of("after", 1));
        assertEquals(TaskStatus.SUCCESS, next.status(), () -> String.valueOf(next.error()));
        assertEquals(pid, ((Number) next.results().get("pid")).longValue());
        assertEquals(Map.of("after", 1L), next.results().get("echo"), "not the slow task's late answer");
        assertFalse(pool.isDegraded());
    }

    @Test
    void crashFailsEveryInFlightTaskAsRetryableAndTheChildIsRestarted() {
        RunqyHandlerPool pool = started(b -> { });
        long pid = pool.processIds().get(0);

        CompletableFuture<OperatorResult> crashing = pool.handle(SimpleOperatorTask.of(Map.of("crash", true)))
                .toCompletableFuture();
        CompletableFuture<OperatorResult> queuedBehind = pool.handle(SimpleOperatorTask.of(Map.of("after", 1)))
                .toCompletableFuture();
        OperatorResult crashed = crashing.join();
        assertEquals("HandlerCrashed", crashed.error().type());
        assertTrue(crashed.error().message().startsWith("handler closed while waiting for response"),
                crashed.error().message());
        assertTrue(crashed.error().retryable());
        // The task behind it either was in flight on the dying child (HandlerCrashed, perhaps with the failed write
        // named) or arrived while no child was ready (HandlerUnavailable): both fail fast and retryable, never hang.
        OperatorResult behind = queuedBehind.join();
        assertTrue(List.of("HandlerCrashed", "HandlerUnavailable").contains(behind.error().type()),
                () -> String.valueOf(behind.error()));
        assertTrue(behind.error().retryable());
        await().atMost(Duration.ofSeconds(15)).until(() -> !pool.isDegraded());
        long newPid = pool.processIds().get(0);
        assertNotEquals(pid, newPid);
        assertEquals(newPid, ((Number) run(pool, Map.of()).results().get("pid")).longValue());
    }

    @Test
    void whileNoChildIsReadyTasksFailFastAsRetryableAndTheRestartLimitHolds() {
        RunqyHandlerPool pool = started(b -> b.maxRestarts(0).restartCooldown(Duration.ofMinutes(5)));
        run(pool, Map.of("crash", true));
        assertTrue(pool.isDegraded());
        OperatorResult r = run(pool, Map.of());
        assertEquals("HandlerUnavailable", r.error().type());
        assertTrue(r.error().retryable());
        assertEquals(0, pool.readyProcesses(), "no restart before the cooldown when maxRestarts is 0");
    }

    @Test
    void aHandlerThatNeverSaysReadyFailsStartClearlyAndLeavesNothingRunning() {
        RunqyHandlerPool pool = new RunqyHandlerPool(settings().environment("HANDLER_NEVER_READY", "1")
                .startupTimeout(Duration.ofSeconds(1)).build());
        pools.add(pool);
        RunqyHandlerException e = assertThrows(RunqyHandlerException.class, pool::start);
        assertTrue(e.getMessage().contains("did not say ready within PT1S"), e.getMessage());
        assertTrue(pool.processIds().isEmpty());
        assertFalse(pool.isDegraded());
        assertEquals("HandlerUnavailable", run(pool, Map.of()).error().type());
    }

    @Test
    void loadFailureAndStartupErrorAreReported() {
        RunqyHandlerPool dying = new RunqyHandlerPool(settings().environment("HANDLER_LOAD_FAIL", "1").build());
        pools.add(dying);
        RunqyHandlerException e = assertThrows(RunqyHandlerException.class, dying::start);
        assertTrue(e.getMessage().contains("process exited during startup with code 1"), e.getMessage());

        RunqyHandlerPool erroring = new RunqyHandlerPool(settings().environment("HANDLER_STARTUP_ERROR", "no GPU").build());
        pools.add(erroring);
        e = assertThrows(RunqyHandlerException.class, erroring::start);
        assertTrue(e.getMessage().contains("reported a startup error: no GPU"), e.getMessage());
    }

    @Test
    void anAnswerOverTenMegabytesFailsThatTaskOnlyAndTheChildServesOn() {
        RunqyHandlerPool pool = started(b -> { });
        long pid = pool.processIds().get(0);
        OperatorResult big = run(pool, Map.of("big", 10 * 1024 * 1024 + 10));
        assertEquals("ResponseTooLarge", big.error().type());
        assertTrue(big.error().message().contains("exceeds the 10485760-byte line limit"), big.error().message());
        assertFalse(big.error().retryable());

        OperatorResult justUnder = run(pool, Map.of("big", 1024 * 1024));
        assertEquals(TaskStatus.SUCCESS, justUnder.status());
        assertEquals(pid, pool.processIds().get(0));
    }

    @Test
    void oneShotModeRunsAProcessPerTask() {
        RunqyHandlerPool pool = started(b -> b.mode(RunqyHandlerMode.ONE_SHOT).processes(2)
                .environment("HANDLER_ONE_SHOT", "1"));
        OperatorResult a = run(pool, Map.of("n", 1));
        OperatorResult b = run(pool, Map.of("n", 2));
        assertEquals(TaskStatus.SUCCESS, a.status(), () -> String.valueOf(a.error()));
        assertNotEquals(a.results().get("pid"), b.results().get("pid"));

        OperatorResult crashed = run(pool, Map.of("crash", true));
        assertEquals("HandlerCrashed", crashed.error().type());
        assertEquals("stdout closed before response received", crashed.error().message());
        assertTrue(crashed.error().retryable());
        assertEquals("HandlerError", run(pool, Map.of("raise", "x")).error().type());
    }

    @Test
    void filesNamedUnderTheWorkDirBecomeOutputArtifacts() throws Exception {
        RunqyHandlerPool pool = started(b -> b.workRoot(tmp.resolve("work")));
        OperatorResult r = run(pool, Map.of("outputs", Map.of("a.txt", "hello")));
        assertEquals(TaskStatus.SUCCESS, r.status(), () -> String.valueOf(r.error()));
        Artifact out = r.artifactsInSlot("out").get(0);
        assertEquals(5L, out.size());
        assertEquals("text/plain", out.contentType());
        assertEquals("hello", Files.readString(out.localPath()));
        assertTrue(out.uri().startsWith("file:/"));
        assertFalse(r.results().containsKey("output_artifacts"));
    }
}
