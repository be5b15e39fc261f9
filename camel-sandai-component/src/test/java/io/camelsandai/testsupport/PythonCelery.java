package io.camelsandai.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs the stock Python Celery peer: {@code celery worker} processes and client scripts from
 * {@code src/test/resources/python/}, always with {@code /usr/bin/python3} (the Debian packages
 * python3-celery / kombu / redis / msgpack; a pyenv {@code python3} on PATH has no Celery).
 *
 * <pre>{@code
 * @RegisterExtension static final RedisServerExtension redis = RedisServerExtension.create();
 * @RegisterExtension static final PythonCelery python = PythonCelery.create();   // declared after redis
 *
 * try (CeleryWorker worker = python.startWorker(CeleryWorkerOptions.builder().redis(redis).build())) {
 *     SendTaskResult r = python.sendTask(SendTask.to(redis, "normal.video-clipper.v1").kwargs(Map.of()));
 * }
 * }</pre>
 *
 * <p>As an extension it also: fails the class up front, with the apt-get line, if Celery cannot be
 * imported (never a silent skip); stops workers left running (those started in a test after it, the
 * others after the class); and appends the last log lines of the processes involved to the message
 * of any failing test. Declare it after the {@link RedisServerExtension} so workers are stopped
 * before their Redis. Without registration, close workers yourself. In a {@code @Nested} class with
 * its own Redis, stop class-level workers in an {@code @AfterAll} method (it runs before any
 * extension's afterAll, so before that Redis goes away).
 *
 * <p>Logs: {@code target/python-logs/<name>-<time>-<n>.stdout.log / .stderr.log}.
 */
public final class PythonCelery implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback,
        TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    public static final String DEFAULT_PYTHON = "/usr/bin/python3";
    public static final String INSTALL_HINT =
            "install the Debian packages: apt-get install python3-celery python3-kombu python3-redis python3-msgpack";
    /** Files under {@code src/test/resources/python/} that must be present. */
    static final List<String> SCRIPTS = List.of("sandai_test_worker.py", "send_task.py");

    private static final Logger LOG = LoggerFactory.getLogger(PythonCelery.class);
    private static final int TAIL_LINES = 30;
    private static volatile String celeryVersion;
    private static volatile Path scriptsDir;

    private final String python;
    private final Path logsDir;
    /**
     * Workers started outside a test method (e.g. in {@code @BeforeAll}), by the class context that was
     * current: a {@code @Nested} class inherits this extension, and its end must not stop the outer
     * class's workers.
     */
    private final Map<String, List<CeleryWorker>> classWorkers = new LinkedHashMap<>();
    /** Class contexts entered and not yet left, innermost last. */
    private final Deque<String> classContexts = new ArrayDeque<>();
    /** Workers started inside the current test: stopped after it. */
    private final List<CeleryWorker> testWorkers = new ArrayList<>();
    /** Processes whose logs a failure message should show (current test plus class-level workers). */
    private final List<ManagedProcess> recent = new ArrayList<>();
    private boolean inTest;

    private PythonCelery(String python) {
        this.python = python;
        this.logsDir = TestDirs.dir("python-logs");
    }

    /** Uses {@code /usr/bin/python3}, or the system property {@code sandai.test.python} if set. */
    public static PythonCelery create() {
        return new PythonCelery(System.getProperty("sandai.test.python", DEFAULT_PYTHON));
    }

    /** Uses the given interpreter (e.g. a venv with extra packages on top of the system Celery). */
    public static PythonCelery create(String python) {
        return new PythonCelery(python);
    }

    public String python() {
        return python;
    }

    /** Directory of the Python scripts (on PYTHONPATH of every process started here). */
    public Path scriptsDir() {
        return resolveScriptsDir();
    }

    public Path logsDir() {
        return logsDir;
    }

    /** The Celery version of {@link #python()}; fails with {@link #INSTALL_HINT} if it cannot import Celery. */
    public String celeryVersion() {
        return requireCelery();
    }

    // ---------------------------------------------------------------- workers

    /**
     * Starts {@code celery -A sandai_test_worker worker} and returns once Celery's {@code worker_ready}
     * signal fired (the module writes a ready file; no fixed sleeps). Fails with the worker's log if it
     * exits or is not ready within {@link CeleryWorkerOptions#readyTimeout()}.
     */
    public synchronized CeleryWorker startWorker(CeleryWorkerOptions options) {
        requireCelery();
        Path readyFile = logsDir.resolve("ready-" + System.nanoTime() + ".json");
        ManagedProcess process = ManagedProcess.start("celery-worker", options.command(python),
                pythonEnvironment(options.environment(readyFile)), logsDir, logsDir);
        remember(process);
        try {
            Awaitility.await("Celery worker " + options.nodeName() + " ready")
                    .atMost(options.readyTimeout())
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("Celery worker exited with " + process.exitValue()
                                    + " before it was ready\n" + process.logTail(TAIL_LINES));
                        }
                        return Files.exists(readyFile);
                    });
        } catch (ConditionTimeoutException e) {
            process.kill();
            throw new AssertionError(e.getMessage() + "\n" + process.logTail(TAIL_LINES), e);
        } catch (AssertionError e) {
            process.kill();
            throw e;
        }
        CeleryWorker worker = new CeleryWorker(process, options, CeleryWorker.readReadyFile(readyFile));
        if (inTest) {
            testWorkers.add(worker);
        } else {
            classWorkers.computeIfAbsent(String.valueOf(classContexts.peekLast()), k -> new ArrayList<>()).add(worker);
        }
        LOG.info("Started {} ({} pool, concurrency {})", worker, options.pool(), options.concurrency());
        return worker;
    }

    // ---------------------------------------------------------------- scripts

    /** Runs {@code send_task.py} and parses its JSON lines; fails (with its output) on a non-zero exit. */
    public SendTaskResult sendTask(SendTask send) {
        Duration limit = send.timeout().multipliedBy(send.expectedLines()).plusSeconds(60);
        ScriptResult result = runScript("send_task.py", send.args(), Map.of(), limit).assertSuccess();
        List<JsonNode> lines = result.jsonLines();
        if (lines.size() != send.expectedLines()) {
            throw new AssertionError("expected " + send.expectedLines() + " result lines, got " + lines.size()
                    + "\n" + result);
        }
        return new SendTaskResult(result, lines);
    }

    /** {@link #runScript(String, List, Map, Duration)} with a 60 s limit. */
    public ScriptResult runScript(String script, Map<String, String> env, String... args) {
        return runScript(script, List.of(args), env, Duration.ofSeconds(60));
    }

    /**
     * Runs {@code python <scriptsDir>/<script> args...} to completion. The process tree is killed and the
     * call fails (with the output so far) if it takes longer than {@code timeout}.
     *
     * @param env extra environment variables (PYTHONPATH is always the scripts directory)
     */
    public ScriptResult runScript(String script, List<String> args, Map<String, String> env, Duration timeout) {
        requireCelery();
        Path file = resolveScriptsDir().resolve(script);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no script " + script + " in " + resolveScriptsDir());
        }
        List<String> command = new ArrayList<>(List.of(python, file.toString()));
        command.addAll(args);
        ManagedProcess process = ManagedProcess.start(script.replaceAll("\\.py$", ""), command,
                pythonEnvironment(env), logsDir, logsDir);
        synchronized (this) {
            remember(process);
        }
        if (!process.awaitExit(timeout)) {
            process.kill();
            throw new AssertionError(script + " did not finish within " + timeout + "\n" + process.logTail(TAIL_LINES));
        }
        ProcessReaper.unregister(process.process().toHandle());
        return new ScriptResult(script, List.copyOf(args), process.exitValue(), read(process.stdoutLog()),
                read(process.stderrLog()), process.stdoutLog(), process.stderrLog());
    }

    // ---------------------------------------------------------------- JUnit callbacks

    @Override
    public void beforeAll(ExtensionContext context) {
        requireCelery();
        synchronized (this) {
            classContexts.addLast(context.getUniqueId());
        }
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        inTest = true;
        recent.removeIf(p -> !isClassWorker(p));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<CeleryWorker> toStop;
        synchronized (this) {
            inTest = false;
            toStop = new ArrayList<>(testWorkers);
            testWorkers.clear();
        }
        toStop.forEach(CeleryWorker::close);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<CeleryWorker> toStop;
        synchronized (this) {
            classContexts.remove(context.getUniqueId());
            toStop = classWorkers.getOrDefault(context.getUniqueId(), List.of());
            classWorkers.remove(context.getUniqueId());
            recent.removeIf(p -> toStop.stream().anyMatch(w -> w.process() == p));
        }
        toStop.forEach(CeleryWorker::close);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLogs(throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLogs(throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw withLogs(throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw withLogs(throwable);
    }

    /** The last log lines of the processes this test involved, as appended to failure messages. */
    public synchronized String recentLogs() {
        StringBuilder out = new StringBuilder();
        recent.forEach(p -> out.append(p.logTail(8, TAIL_LINES)));
        return out.toString();
    }

    /**
     * Same failure, with the Python logs in its message (so they show up in the Surefire report
     * next to the assertion). Assumption failures pass through untouched: a skip is not a failure.
     */
    private Throwable withLogs(Throwable failure) {
        if (failure instanceof TestAbortedException) {
            return failure;
        }
        String logs = recentLogs();
        if (logs.isEmpty()) {
            return failure;
        }
        String message = "\n\nPython peer logs:\n" + logs;
        AssertionError decorated;
        if (failure instanceof AssertionFailedError assertion && assertion.isExpectedDefined()
                && assertion.isActualDefined()) {
            // Keeps expected/actual, so IDEs still offer their diff view.
            decorated = new AssertionFailedError(assertion.getMessage() + message,
                    assertion.getExpected().getValue(), assertion.getActual().getValue(), failure);
        } else if (failure instanceof AssertionError) {
            decorated = new AssertionFailedError(failure.getMessage() + message, failure);
        } else {
            decorated = new AssertionError(failure + message, failure);
        }
        decorated.setStackTrace(failure.getStackTrace());
        return decorated;
    }

    // ---------------------------------------------------------------- internals

    private void remember(ManagedProcess process) {
        recent.add(process);
        // Keep failure messages readable: the class workers and the last few scripts are enough.
        while (recent.size() > 8) {
            recent.stream().filter(p -> !isClassWorker(p)).findFirst().ifPresentOrElse(recent::remove,
                    () -> recent.remove(0));
        }
    }

    private boolean isClassWorker(ManagedProcess process) {
        return classWorkers.values().stream().flatMap(List::stream).anyMatch(w -> w.process() == process);
    }

    private Map<String, String> pythonEnvironment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("PYTHONPATH", resolveScriptsDir().toString());
        env.put("PYTHONUNBUFFERED", "1");
        // No __pycache__ in target/test-classes (or in a copy extracted from the test-jar).
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        // A pyenv or virtualenv of the developer must not leak into the system interpreter.
        env.put("PYTHONHOME", null);
        env.put("VIRTUAL_ENV", null);
        env.putAll(extra);
        return env;
    }

    /**
     * Checks once per JVM that {@link #python} imports Celery and its Redis/msgpack dependencies. A
     * missing peer is an environment error to fix, never a reason to skip interop tests silently.
     */
    private String requireCelery() {
        String version = celeryVersion;
        if (version != null) {
            return version;
        }
        synchronized (PythonCelery.class) {
            if (celeryVersion == null) {
                celeryVersion = probeCelery();
            }
            return celeryVersion;
        }
    }

    private String probeCelery() {
        String hint = python + " cannot import celery/kombu/redis/msgpack; " + INSTALL_HINT;
        if (!Files.isExecutable(Paths.get(python))) {
            throw new IllegalStateException("no " + python + "; " + hint);
        }
        ManagedProcess probe = ManagedProcess.start("python-probe", List.of(python, "-c",
                "import celery, kombu, redis, msgpack; print(celery.__version__)"), pythonEnvironment(Map.of()),
                logsDir, logsDir);
        if (!probe.awaitExit(Duration.ofSeconds(60))) {
            probe.kill();
            throw new IllegalStateException(hint + " (the import did not finish within 60 s)\n" + probe.logTail(20));
        }
        ProcessReaper.unregister(probe.process().toHandle());
        if (probe.exitValue() != 0) {
            throw new IllegalStateException(hint + "\n" + probe.logTail(20));
        }
        String version = read(probe.stdoutLog()).trim();
        LOG.info("Python peer: {} with Celery {}", python, version);
        return version;
    }

    /**
     * The scripts directory: straight from target/test-classes when the resources are files, or
     * extracted from the test-jar when another module uses these classes as a dependency.
     */
    private static Path resolveScriptsDir() {
        Path dir = scriptsDir;
        if (dir != null) {
            return dir;
        }
        synchronized (PythonCelery.class) {
            if (scriptsDir == null) {
                scriptsDir = locateScripts();
            }
            return scriptsDir;
        }
    }

    private static Path locateScripts() {
        URL url = PythonCelery.class.getClassLoader().getResource("python/" + SCRIPTS.get(0));
        if (url == null) {
            throw new IllegalStateException("python/" + SCRIPTS.get(0) + " is not on the test classpath");
        }
        try {
            if ("file".equals(url.getProtocol())) {
                return Paths.get(url.toURI()).getParent();
            }
            if ("jar".equals(url.getProtocol())) {
                return extract((JarURLConnection) url.openConnection());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("cannot use scripts from " + url);
    }

    private static Path extract(JarURLConnection connection) throws IOException {
        Path target = Files.createDirectories(TestDirs.dir("python-scripts"));
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                if (entry.getName().startsWith("python/") && !entry.isDirectory()) {
                    Path out = target.resolve(entry.getName().substring("python/".length()));
                    Files.createDirectories(out.getParent());
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return target;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
