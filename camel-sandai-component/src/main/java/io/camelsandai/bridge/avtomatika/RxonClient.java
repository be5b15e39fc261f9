package io.camelsandai.bridge.avtomatika;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speaks RXON to one orchestrator: the three worker headers on every call, signed bodies with a fresh timestamp on
 * every try, and STS tokens (obtained after registration when enabled, refreshed on 401 and before they expire).
 */
final class RxonClient {
    private static final Logger LOG = LoggerFactory.getLogger(RxonClient.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final AvtomatikaConfig.Orchestrator orchestrator;
    private final AvtomatikaConfig config;
    private final HttpClient http;
    private final RxonSigner signer;
    private volatile String accessToken;
    private volatile String refreshToken;
    private volatile Instant accessExpires;
    private volatile CompletableFuture<?> pendingPoll;
    volatile boolean registered;
    /** When the last interval or load-change heartbeat started (nanoTime), for the orchestrator's rate limit. */
    private long lastHeartbeatNanos;

    /** An answer: HTTP status, JSON body (NullNode when empty or not JSON) and Retry-After if any. */
    record Response(int status, JsonNode body, Duration retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String error() {
            return body.path("error").asText(body.toString());
        }
    }

    /** Weighted round robin state (the SDK's smooth weighted selection). */
    int currentWeight;

    RxonClient(AvtomatikaConfig.Orchestrator orchestrator, AvtomatikaConfig config, HttpClient http) {
        this.base = orchestrator.url();
        this.orchestrator = orchestrator;
        this.config = config;
        this.http = http;
        this.signer = new RxonSigner(config.signingSecret(orchestrator), config.workerId());
    }

    AvtomatikaConfig.Orchestrator orchestrator() {
        return orchestrator;
    }

    /**
     * Waits until {@code spacing} has passed since the previous heartbeat: the orchestrator allows 120 heartbeats a
     * minute per worker (429 beyond), and a busy worker's load-change heartbeats would exceed that.
     */
    synchronized void awaitHeartbeatSlot(Duration spacing) throws InterruptedException {
        long wait = lastHeartbeatNanos == 0 ? 0 : lastHeartbeatNanos + spacing.toNanos() - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        lastHeartbeatNanos = System.nanoTime();
    }

    URI base() {
        return base;
    }

    /** Sends one request; renews the STS token and resends once when the orchestrator refuses it. */
    Response send(String method, String path, Map<String, Object> body, Signing signing, Duration timeout)
            throws IOException, InterruptedException {
        refreshIfExpiring();
        Response response = sendOnce(method, path, body, signing, timeout);
        if (tokenRefused(response)) {
            LOG.info("orchestrator {} refused the access token (HTTP {}); renewing it", base, response.status());
            renewToken();
            response = sendOnce(method, path, body, signing, timeout);
        }
        return response;
    }

    /**
     * Whether an answer means the STS access token is no longer good. rxon refreshes on 401, but the orchestrator
     * never sends 401 for a worker call: an unknown or expired access token falls through to the token checks and
     * ends as 403 "Unauthorized: ..." (its PermissionError). A signature or clock failure is also 403, so only the
     * "Unauthorized" ones count, and only while an access token is in use.
     */
    private boolean tokenRefused(Response r) {
        if (!(accessToken != null || config.useStsTokens())) {
            return false;
        }
        return r.status() == 401 || (r.status() == 403 && r.error().toLowerCase(java.util.Locale.ROOT).contains("unauthorized"));
    }

    /** Whether and how a body is signed. */
    enum Signing { NONE, MESSAGE, EVENT }

    private Response sendOnce(String method, String path, Map<String, Object> body, Signing signing, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = build(method, path, body, signing, timeout);
        CompletableFuture<HttpResponse<String>> future = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        return await(future, timeout);
    }

    /** The long poll: cancellable through {@link #abortPoll()}. */
    Response poll(String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
        refreshIfExpiring();
        HttpRequest request = build("GET", pathAndQuery, null, Signing.NONE, timeout);
        CompletableFuture<HttpResponse<String>> future = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        pendingPoll = future;
        try {
            Response r = await(future, timeout);
            if (tokenRefused(r)) {
                renewToken();
            }
            return r;
        } finally {
            pendingPoll = null;
        }
    }

    void abortPoll() {
        CompletableFuture<?> f = pendingPoll;
        if (f != null) {
            f.cancel(true);
        }
    }

    private HttpRequest build(String method, String path, Map<String, Object> body, Signing signing, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("X-Worker-Token", currentToken())
                .header("X-Worker-ID", config.workerId())
                .header("X-RXON-Version", config.rxonVersion());
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            Map<String, Object> payload = new LinkedHashMap<>(body);
            if (signing != Signing.NONE) {
                payload.put("timestamp", Instant.now().getEpochSecond());
                payload = signer.sign(payload, signing == Signing.EVENT);
            }
            byte[] bytes = RxonSigner.canonicalBytes(payload);
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        return b.build();
    }

    private static Response await(CompletableFuture<HttpResponse<String>> future, Duration timeout)
            throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = future.get(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause), cause);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IOException("no answer within " + timeout.toMillis() + " ms");
        } catch (CancellationException e) {
            throw new IOException("request aborted");
        }
        JsonNode body = NullNode.getInstance();
        String text = response.body();
        if (text != null && !text.isBlank()) {
            try {
                body = JSON.readTree(text);
            } catch (IOException e) {
                body = JSON.getNodeFactory().objectNode().put("error", text.length() > 200 ? text.substring(0, 200) : text);
            }
        }
        Duration retryAfter = response.headers().firstValue("Retry-After").map(RxonClient::seconds).orElse(null);
        return new Response(response.statusCode(), body, retryAfter);
    }

    private static Duration seconds(String value) {
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(value.trim()) * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    String currentToken() {
        String t = accessToken;
        return t != null ? t : config.credential(orchestrator);
    }

    /** A register answer may carry an access token: use it from now on. */
    void adoptToken(JsonNode answer) {
        if (answer.hasNonNull("access_token")) {
            setTokens(answer);
        }
    }

    /** Exchanges the configured token for STS tokens ({@code POST /_worker/auth/token}). */
    void obtainToken() throws IOException, InterruptedException {
        accessToken = null;
        Response r = sendOnce("POST", "/_worker/auth/token", null, Signing.NONE, config.requestTimeout());
        if (!r.ok() || !r.body().hasNonNull("access_token")) {
            throw new IOException("STS token request to " + base + " failed: HTTP " + r.status() + " " + r.error());
        }
        setTokens(r.body());
    }

    private void refreshIfExpiring() throws InterruptedException {
        Instant expires = accessExpires;
        if (accessToken != null && expires != null && Instant.now().isAfter(expires)) {
            try {
                renewToken();
            } catch (IOException e) {
                LOG.warn("could not refresh the access token at {}: {}", base, e.getMessage());
            }
        }
    }

    /** Refresh with the refresh token; failing that, a new token with the configured one; failing that, no STS. */
    synchronized void renewToken() throws IOException, InterruptedException {
        String refresh = refreshToken;
        if (refresh != null) {
            // the orchestrator checks only the refresh token and X-Worker-ID here; the configured token is sent
            // rather than the access token being replaced, which may be the expired one
            accessToken = null;
            Response r = sendOnce("POST", "/_worker/auth/token/refresh", Map.of("refresh_token", refresh),
                    Signing.NONE, config.requestTimeout());
            if (r.ok() && r.body().hasNonNull("access_token")) {
                setTokens(r.body());
                return;
            }
            refreshToken = null;
        }
        if (config.useStsTokens()) {
            obtainToken();
        } else {
            accessToken = null;
        }
    }

    private void setTokens(JsonNode answer) {
        accessToken = answer.get("access_token").asText();
        if (answer.hasNonNull("refresh_token")) {
            refreshToken = answer.get("refresh_token").asText();
        }
        long expiresIn = answer.path("expires_in").asLong(3600);
        // renew at 80 % of the lifetime so a long poll never starts with a token about to expire
        accessExpires = Instant.now().plusSeconds(Math.max(1, expiresIn * 8 / 10));
    }

    @Override
    public String toString() {
        return "RxonClient[" + base + "]";
    }
}
