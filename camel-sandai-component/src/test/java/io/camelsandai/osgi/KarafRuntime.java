package io.camelsandai.osgi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.camelsandai.testsupport.ManagedProcess;

/**
 * An Apache Karaf distribution copied to a work directory and run headless ({@code bin/karaf server}), with its
 * Maven resolver pointed at the local repository only (plus a directory of build outputs), free ports for SSH and
 * JMX, and the {@code karaf} user enabled so that commands run through {@code bin/client}.
 */
final class KarafRuntime implements AutoCloseable {
    private static final String USER = "karaf";

    private final Path home;
    private final int sshPort;
    private ManagedProcess process;

    private KarafRuntime(Path home, int sshPort) {
        this.home = home;
        this.sshPort = sshPort;
    }

    /**
     * Copies {@code distribution} to {@code home} (replacing an earlier copy) and configures it.
     *
     * @param localRepository the Maven local repository Karaf resolves {@code mvn:} URLs from
     * @param buildRepository a Maven-layout directory with this build's artifacts (searched first)
     * @param systemProperties added to etc/system.properties
     */
    static KarafRuntime prepare(Path distribution, Path home, Path localRepository, Path buildRepository,
                                Map<String, String> systemProperties) throws IOException {
        if (!Files.isRegularFile(distribution.resolve("bin/karaf"))) {
            throw new IllegalStateException("no Karaf distribution at " + distribution
                    + " (the karaf-it profile unpacks it: mvn -Pkaraf-it ...)");
        }
        OsgiRuntimeTest.deleteTree(home);
        copyTree(distribution, home);
        int sshPort = freePort();
        Path etc = home.resolve("etc");
        // Offline: every mvn: URL comes from the build directory, Karaf's system/ folder or the local repository.
        Files.writeString(etc.resolve("org.ops4j.pax.url.mvn.cfg"), String.join("\n",
                "org.ops4j.pax.url.mvn.localRepository=" + localRepository.toAbsolutePath(),
                "org.ops4j.pax.url.mvn.defaultRepositories=${karaf.home.uri}${karaf.default.repository}"
                        + "@id=system.repository@snapshots, " + buildRepository.toAbsolutePath().toUri()
                        + "@id=sandai.build@snapshots",
                "org.ops4j.pax.url.mvn.repositories=",
                "org.ops4j.pax.url.mvn.useFallbackRepositories=false", ""));
        replaceLine(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", "sshPort = " + sshPort);
        replaceLine(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost", "sshHost = 127.0.0.1");
        Path management = etc.resolve("org.apache.karaf.management.cfg");
        replaceLine(management, "rmiRegistryPort", "rmiRegistryPort = " + freePort());
        replaceLine(management, "rmiServerPort", "rmiServerPort = " + freePort());
        // The distribution ships the admin user commented out.
        replaceLine(etc.resolve("users.properties"), "#karaf = ", "karaf = karaf,_g_:admingroup");
        replaceLine(etc.resolve("users.properties"), "#_g_\\:admingroup = ",
                "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh");
        StringBuilder props = new StringBuilder("\n");
        systemProperties.forEach((k, v) -> props.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(etc.resolve("system.properties"), props, StandardOpenOption.APPEND);
        return new KarafRuntime(home, sshPort);
    }

    Path deployDir() {
        return home.resolve("deploy");
    }

    Path log() {
        return home.resolve("data/log/karaf.log");
    }

    /** Starts {@code bin/karaf server} as a child process of the test. */
    void start() {
        process = ManagedProcess.start("karaf", List.of("sh", "bin/karaf", "server"), javaHome(), home, home);
    }

    /**
     * Runs shell commands through {@code bin/client} (batch mode: one command a line on its standard input) and
     * returns what they printed, colours removed. The client retries the connection while Karaf is starting.
     */
    String client(String... commands) throws IOException, InterruptedException {
        Path in = Files.createTempFile(home, "client-", ".in");
        Path out = Files.createTempFile(home, "client-", ".out");
        Files.writeString(in, String.join("\n", commands) + "\n");
        ProcessBuilder builder = new ProcessBuilder("sh", "bin/client", "-a", String.valueOf(sshPort),
                "-u", USER, "-p", USER, "-r", "30", "-d", "2", "-b")
                .directory(home.toFile())
                .redirectInput(in.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().putAll(javaHome());
        Process client = builder.start();
        if (!client.waitFor(5, TimeUnit.MINUTES)) {
            client.destroyForcibly();
            throw new IllegalStateException("bin/client did not finish: " + List.of(commands));
        }
        String text = Files.readString(out, StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;]*m", "");
        Files.delete(in);
        Files.delete(out);
        return text;
    }

    /** The last lines of data/log/karaf.log, for failure messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no karaf.log: " + e + ")";
        }
    }

    /** {@code bin/stop}, then waits for the server to exit (killing it if it does not within a minute). */
    @Override
    public void close() throws Exception {
        if (process == null || !process.isAlive()) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder("sh", "bin/stop").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("stop.log").toFile());
        builder.environment().putAll(javaHome());
        Process stop = builder.start();
        stop.waitFor(1, TimeUnit.MINUTES);
        if (!process.awaitExit(Duration.ofMinutes(1))) {
            process.kill();
        }
        process.terminate(Duration.ofSeconds(5)); // reaps anything left of the process tree
    }

    private static Map<String, String> javaHome() {
        return Map.of("JAVA_HOME", System.getProperty("java.home"));
    }

    private static void replaceLine(Path file, String startsWith, String line) throws IOException {
        List<String> lines = Files.readAllLines(file);
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(startsWith)) {
                lines.set(i, line);
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException(file + " has no line starting with " + startsWith);
        }
        Files.write(file, lines);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
