package io.camelsandai.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code redis-server} from PATH as a child process: no persistence, loopback only, its own temp
 * working directory, log file under {@code target/redis-logs/}. The only backend that supports
 * requirepass, ACL users and TLS, because we write its whole configuration.
 */
final class BinaryRedisBackend implements RedisBackend {

    private final Path executable;
    private final int port;
    private final RedisSettings settings;
    private final TlsMaterial tls;
    private final Path workDir;
    private final Path logDir;
    private ManagedProcess process;
    private int starts;

    BinaryRedisBackend(Path executable, int port, RedisSettings settings, TlsMaterial tls, Path workDir) {
        this.executable = executable;
        this.port = port;
        this.settings = settings;
        this.tls = tls;
        this.workDir = workDir;
        this.logDir = TestDirs.dir("redis-logs");
    }

    @Override
    public RedisKind kind() {
        return RedisKind.BINARY;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void start() throws IOException {
        if (isRunning()) {
            return;
        }
        starts++;
        process = ManagedProcess.start("redis-" + port, command(), settings.env(), workDir, logDir);
    }

    List<String> command() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        if (settings.aclUser() != null) {
            // ACL users can only be declared in a config file (or by ACL SETUSER after start, which
            // would leave a window with an open default user and be lost on restart).
            cmd.add(writeAclConfig().toString());
        }
        if (tls != null) {
            // Plain TCP off, so a test cannot accidentally pass without TLS.
            add(cmd, "--port", "0");
            add(cmd, "--tls-port", String.valueOf(port));
            add(cmd, "--tls-cert-file", tls.serverCertPem().toString());
            add(cmd, "--tls-key-file", tls.serverKeyPem().toString());
            add(cmd, "--tls-ca-cert-file", tls.caCertPem().toString());
            add(cmd, "--tls-auth-clients", "no");
        } else {
            add(cmd, "--port", String.valueOf(port));
        }
        add(cmd, "--bind", "127.0.0.1");
        add(cmd, "--save", "");
        if (settings.appendOnly()) {
            add(cmd, "--appendonly", "yes");
            add(cmd, "--appendfsync", "always"); // a SIGKILL loses nothing acknowledged, so tests can count exactly
        } else {
            add(cmd, "--appendonly", "no");
        }
        add(cmd, "--dir", workDir.toString());
        add(cmd, "--logfile", logFile().toString());
        if (settings.password() != null && settings.aclUser() == null) {
            add(cmd, "--requirepass", settings.password());
        }
        cmd.addAll(settings.extraArgs());
        return cmd;
    }

    /** Sends a signal (STOP, CONT) to the server process. */
    void signal(String name) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("redis-server is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal redis-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Path writeAclConfig() throws IOException {
        String fullAccess = " on ~* &* +@all";
        String defaultUser = settings.password() == null
                ? "user default off"
                : "user default on >" + settings.password() + fullAccess;
        String content = defaultUser + "\n"
                + "user " + settings.aclUser() + " >" + settings.aclPassword() + fullAccess + "\n";
        return Files.writeString(workDir.resolve("acl-users.conf"), content, StandardCharsets.UTF_8);
    }

    private static void add(List<String> cmd, String option, String value) {
        cmd.add(option);
        cmd.add(value);
    }

    Path logFile() {
        return logDir.resolve("redis-" + port + "-" + Math.max(starts, 1) + ".log");
    }

    @Override
    public void stop() {
        if (process != null) {
            // SIGTERM: redis-server exits at once (nothing to save); SIGKILL after 5 s just in case.
            process.terminate(Duration.ofSeconds(5));
        }
    }

    /** SIGKILL, for crash tests. */
    void kill() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public boolean supportsRestart() {
        return true;
    }

    @Override
    public void close() {
        stop();
        RedisFiles.deleteQuietly(workDir);
    }

    @Override
    public String diagnostics() {
        if (process == null) {
            return "redis-server not started";
        }
        String exit = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return "redis-server pid " + process.pid() + " " + exit + ", command " + process.command() + "\n"
                + LogTail.block("redis log", logFile(), 30) + process.logTail(10);
    }
}
