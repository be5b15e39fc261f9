package io.camelsandai.bridge.runqy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskStatus;

/**
 * RunqyHandlerPool against the real runqy-python SDK ({@code run()} and {@code run_once()}), when it is importable
 * by /usr/bin/python3, optionally from the directory in {@code SANDAI_TEST_RUNQY_PYTHONPATH}; skipped otherwise.
 */
class RunqyPythonSdkTest {
    static final String ENV_PATH = "SANDAI_TEST_RUNQY_PYTHONPATH";
    private static final String HANDLER = """
            import os
            from runqy_python import task, load, run, run_once

            @load
            def setup():
                return {"model": "m1"}

            @task
            def process(payload, ctx):
                options = payload.get("options", {})
                if "raise" in options:
                    raise ValueError(options["raise"])
                return {"echo": options, "model": ctx["model"], "keys": sorted(payload.keys())}

            if __name__ == "__main__":
                run_once() if os.environ.get("ONE_SHOT") else run()
            """;

    private final List<RunqyHandlerPool> pools = new ArrayList<>();
    @TempDir
    Path dir;

    @BeforeEach
    void requireSdk() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(RunqyHandlerPoolTest.PYTHON, "-c", "import runqy_python");
        pythonPath().ifPresent(p -> pb.environment().put("PYTHONPATH", p));
        Process p = pb.redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        Assumptions.assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0,
                "runqy_python is not importable (set " + ENV_PATH + ")");
        Files.writeString(dir.resolve("handler.py"), HANDLER);
    }

    @AfterEach
    void stop() {
        pools.forEach(RunqyHandlerPool::close);
    }

    private static java.util.Optional<String> pythonPath() {
        return java.util.Optional.ofNullable(System.getenv(ENV_PATH)).filter(s -> !s.isBlank());
    }

    private RunqyHandlerPool pool(RunqyHandlerMode mode) {
        RunqyHandlerSettings.Builder b = RunqyHandlerSettings.builder(List.of(RunqyHandlerPoolTest.PYTHON,
                        dir.resolve("handler.py").toString())).workingDir(dir).mode(mode)
                .startupTimeout(Duration.ofSeconds(20)).taskTimeout(Duration.ofSeconds(20));
        pythonPath().ifPresent(p -> b.environment("PYTHONPATH", p));
        if (mode == RunqyHandlerMode.ONE_SHOT) {
            b.environment("ONE_SHOT", "1");
        }
        RunqyHandlerPool pool = new RunqyHandlerPool(b.build());
        pools.add(pool);
        pool.start();
        return pool;
    }

    private static OperatorResult run(RunqyHandlerPool pool, Map<String, Object> options) {
        return pool.handle(SimpleOperatorTask.of(options)).toCompletableFuture().join();
    }

    @Test
    void longRunningRunServesTasksAndItsExceptionsArePermanentFailures() {
        RunqyHandlerPool pool = pool(RunqyHandlerMode.LONG_RUNNING);
        OperatorResult ok = run(pool, Map.of("clip", 2));
        assertEquals(TaskStatus.SUCCESS, ok.status(), () -> String.valueOf(ok.error()));
        assertEquals(Map.of("clip", 2L), ok.results().get("echo"));
        assertEquals("m1", ok.results().get("model"), "@load ran before the ready line");
        assertEquals(List.of("input_artifacts", "meta", "options"), ok.results().get("keys"));

        OperatorResult raised = run(pool, Map.of("raise", "bad input"));
        assertEquals(TaskStatus.FAILED, raised.status());
        assertEquals("bad input", raised.error().message());
        assertFalse(raised.error().retryable(), "runqy-python answers retry:false for exceptions");
        assertEquals(TaskStatus.SUCCESS, run(pool, Map.of("again", true)).status(), "the child serves on");
    }

    @Test
    void oneShotRunOnceAnswersOneTaskPerProcess() {
        RunqyHandlerPool pool = pool(RunqyHandlerMode.ONE_SHOT);
        for (int i = 0; i < 2; i++) {
            OperatorResult ok = run(pool, Map.of("n", i));
            assertEquals(TaskStatus.SUCCESS, ok.status(), () -> String.valueOf(ok.error()));
            assertEquals(Map.of("n", (long) i), ok.results().get("echo"));
        }
    }
}
