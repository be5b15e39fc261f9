package io.camelsandai.bridge.avtomatika;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelsandai.util.DaemonThreads;

/**
 * The orchestrator's command WebSocket ({@code GET /_worker/ws/{worker_id}}, same headers as every call): TEXT frames
 * carry WorkerCommands such as {@code cancel_task}. Reconnects with backoff from 1 s doubling to 60 s. Only
 * commands are read; events still go over HTTP.
 */
final class CommandChannel implements WebSocket.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(CommandChannel.class);

    private final RxonClient client;
    private final AvtomatikaConfig config;
    private final HttpClient http;
    private final Consumer<JsonNode> onCommand;
    private final ScheduledExecutorService reconnects =
            Executors.newSingleThreadScheduledExecutor(r -> DaemonThreads.thread("avtomatika-ws", r));
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile boolean closed;
    private long nextDelayMillis = 1000;

    CommandChannel(RxonClient client, AvtomatikaConfig config, HttpClient http, Consumer<JsonNode> onCommand) {
        this.client = client;
        this.config = config;
        // Its own client: the upgrade then always starts on a fresh connection, never on a pooled REST one.
        this.http = AvtomatikaProtocol.httpClient(config.tls().sslContext(), Duration.ofSeconds(10));
        this.onCommand = onCommand;
    }

    void start() {
        reconnects.execute(this::connect);
    }

    private void connect() {
        if (closed) {
            return;
        }
        URI base = client.base();
        String scheme = "https".equalsIgnoreCase(base.getScheme()) ? "wss" : "ws";
        URI uri = URI.create(scheme + "://" + base.getRawAuthority() + "/_worker/ws/" + config.workerId());
        try {
            open(uri);
        } catch (RuntimeException e) {
            LOG.warn("command channel to {} cannot be opened: {}", base, e.toString());
            scheduleReconnect();
        }
    }

    private void open(URI uri) {
        URI base = client.base();
        http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .header("X-Worker-Token", client.currentToken())
                .header("X-Worker-ID", config.workerId())
                .header("X-RXON-Version", config.rxonVersion())
                .buildAsync(uri, this)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        LOG.info("command channel to {} not open: {}", base, describe(error));
                        scheduleReconnect();
                    } else {
                        socket = ws;
                        nextDelayMillis = 1000;
                        LOG.info("command channel to {} open", base);
                    }
                });
    }

    private static String describe(Throwable error) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (e instanceof java.net.http.WebSocketHandshakeException h) {
            return "handshake refused (HTTP " + h.getResponse().statusCode() + "): " + (h.getCause() != null ? h.getCause().getMessage() : h.getMessage());
        }
        return e.toString();
    }

    private synchronized void scheduleReconnect() {
        if (closed) {
            return;
        }
        long delay = nextDelayMillis;
        nextDelayMillis = Math.min(60_000, nextDelayMillis * 2);
        reconnects.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                onCommand.accept(RxonClient.JSON.readTree(text));
            } catch (Exception e) {
                LOG.warn("unreadable command from {}: {}", client.base(), e.toString());
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        LOG.info("command channel to {} closed ({} {})", client.base(), statusCode, reason);
        socket = null;
        scheduleReconnect();
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        LOG.debug("command channel to {} failed: {}", client.base(), error.toString());
        socket = null;
        scheduleReconnect();
    }

    boolean isOpen() {
        return socket != null;
    }

    void close() {
        closed = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "worker stopping");
        }
        reconnects.shutdownNow();
    }
}
