package io.camelsandai.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelsandai.transport.amqp.AmqpUrl;

/**
 * A private RabbitMQ virtual host per test class, on the machine's real RabbitMQ.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RabbitMqExtension rabbit = RabbitMqExtension.create();
 * ... rabbit.url()   // amqp://guest:guest@127.0.0.1:5672/sandai-test-MyTest-1a2b3c4d
 * }</pre>
 *
 * <p>{@code SANDAI_TEST_AMQP_URL}, if set, is used as is (its vhost is shared and nothing is created or deleted;
 * {@link #supportsAdmin()} is false). Otherwise RabbitMQ is expected on {@code 127.0.0.1:5672} with {@code guest}:
 * if that port does not answer and {@code rabbitmqctl} is installed, {@code rabbitmq-server -detached} is started.
 * {@code beforeAll} adds a fresh vhost ({@code rabbitmqctl add_vhost}) and gives {@code guest} all permissions on
 * it; {@code afterAll} deletes it with everything in it. Without a broker the test fails with a message saying how
 * to get one.
 */
public final class RabbitMqExtension implements BeforeAllCallback, AfterAllCallback {
    /** Use this broker (and its vhost) instead of a fresh vhost on the local RabbitMQ. */
    public static final String ENV_URL = "SANDAI_TEST_AMQP_URL";
    static final String HOST = "127.0.0.1";
    static final int PORT = 5672;
    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqExtension.class);
    private static final Duration CTL_TIMEOUT = Duration.ofSeconds(60);

    private String url;
    private String vhost;
    private boolean ownVhost;

    private RabbitMqExtension() {
    }

    public static RabbitMqExtension create() {
        return new RabbitMqExtension();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Outside JUnit: sets up the vhost by hand ({@code name} goes into the vhost's name). */
    public synchronized void start(String name) {
        String override = System.getenv(ENV_URL);
        if (override != null && !override.isBlank()) {
            url = override.trim();
            vhost = AmqpUrl.parse(url).virtualHost();
            ownVhost = false;
            return;
        }
        ensureBrokerRunning();
        vhost = "sandai-test-" + name.toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8);
        rabbitmqctl("add_vhost", vhost);
        ownVhost = true;
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        url = "amqp://guest:guest@" + HOST + ":" + PORT + "/" + URLEncoder.encode(vhost, StandardCharsets.UTF_8);
        LOG.info("RabbitMQ vhost {} ready", vhost);
    }

    /** Deletes the vhost (queues, exchanges and all) if this extension created it. */
    public synchronized void close() {
        if (ownVhost && vhost != null) {
            try {
                rabbitmqctl("delete_vhost", vhost);
            } catch (RuntimeException e) {
                LOG.warn("Could not delete RabbitMQ vhost {}: {}", vhost, e.getMessage());
            }
            ownVhost = false;
        }
    }

    /** {@code amqp://guest:guest@127.0.0.1:5672/<vhost>}. */
    public String url() {
        if (url == null) {
            throw new IllegalStateException("RabbitMqExtension not started");
        }
        return url;
    }

    public AmqpUrl amqpUrl() {
        return AmqpUrl.parse(url());
    }

    public String vhost() {
        return vhost;
    }

    /** True when this extension made the vhost and can run {@code rabbitmqctl} against it. */
    public boolean supportsAdmin() {
        return ownVhost;
    }

    /** Forcibly closes every client connection to this vhost (what a network cut or broker restart looks like). */
    public void closeAllConnections(String reason) {
        requireAdmin();
        rabbitmqctl("close_all_connections", "--vhost", vhost, reason);
    }

    /** {@code rabbitmqctl list_queues -p <vhost> <columns>}, one tab-separated line per queue, header dropped. */
    public List<String> listQueues(String... columns) {
        requireAdmin();
        List<String> args = new ArrayList<>(List.of("-q", "list_queues", "-p", vhost));
        args.addAll(List.of(columns));
        List<String> lines = new ArrayList<>(rabbitmqctl(args.toArray(String[]::new)).lines().toList());
        if (!lines.isEmpty()) {
            lines.remove(0); // the column names
        }
        return lines;
    }

    private void requireAdmin() {
        if (!ownVhost) {
            throw new IllegalStateException("needs a vhost this extension created (not " + ENV_URL + ")");
        }
    }

    private static boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static synchronized void ensureBrokerRunning() {
        if (answers()) {
            return;
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/rabbitmqctl")) && !onPath("rabbitmqctl")) {
            throw new IllegalStateException("No RabbitMQ on " + HOST + ":" + PORT + " and no rabbitmqctl to start one: "
                                            + "install rabbitmq-server or set " + ENV_URL);
        }
        LOG.info("RabbitMQ not answering on {}:{}; starting rabbitmq-server -detached", HOST, PORT);
        run(List.of("rabbitmq-server", "-detached"));
        Awaitility.await("RabbitMQ to answer on " + HOST + ":" + PORT).atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500)).until(RabbitMqExtension::answers);
        rabbitmqctl("await_startup");
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(":")).stream().anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    static String rabbitmqctl(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("rabbitmqctl");
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(CTL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd + " did not finish within " + CTL_TIMEOUT);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(cmd + " failed (exit " + p.exitValue() + "): " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + cmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted running " + cmd, e);
        }
    }
}
