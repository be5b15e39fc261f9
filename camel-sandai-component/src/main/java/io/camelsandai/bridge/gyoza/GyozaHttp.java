package io.camelsandai.bridge.gyoza;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON over HTTP to a gyoza server, as its client does it: {@code X-API-Key} on every request when a key is set,
 * a per-request timeout, any non-2xx answer an error ({@link StatusException}).
 */
final class GyozaHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    private final GyozaConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    GyozaHttp(GyozaConfig config) {
        this.config = config;
    }

    /** One path segment (a worker or run id), percent-encoded so that any id stays one segment. */
    static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Sends a request and returns the answer's JSON.
     *
     * @param body         serialised as JSON; null sends no body
     * @param answerNeeded when false a 2xx answer that is empty or not JSON counts as success (an event that the
     *                     server took must not be posted again just because its answer could not be read)
     * @throws StatusException on a non-2xx answer
     * @throws IOException     when the server cannot be reached, or a needed answer is not JSON
     */
    JsonNode send(String method, String path, Object body, boolean answerNeeded) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.baseUrl() + path))
                .timeout(config.requestTimeout()).header("Accept", "application/json");
        if (config.hasApiKey()) {
            b.header("X-API-Key", config.apiKey());
        }
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        int status = r.statusCode();
        if (status < 200 || status >= 300) {
            throw new StatusException(method + " " + path, status, r.body());
        }
        String text = r.body();
        if (text == null || text.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            if (answerNeeded) {
                throw new IOException(method + " " + path + ": the answer is not JSON: " + snippet(text));
            }
            return JSON.nullNode();
        }
    }

    private static String snippet(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    /** A non-2xx answer. Its message holds the status and the start of the body, never the API key. */
    static final class StatusException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        StatusException(String what, int status, String body) {
            super(what + ": HTTP " + status + hint(status)
                  + (body == null || body.isBlank() ? "" : " " + snippet(body)));
            this.status = status;
        }

        private static String hint(int status) {
            return status == 401 || status == 403 ? " (the server refused the API key: check apiKey)" : "";
        }

        /**
         * 400 (invalid input or state transition, run locked, max attempts), 404 (no such run), 409 and 422 (the
         * body was refused) will not change by sending the same request again.
         */
        boolean isFinal() {
            return status == 400 || status == 404 || status == 409 || status == 422;
        }

        /** The server asked to come back later, or is failing: worth another try. */
        boolean isTemporary() {
            return status == 408 || status == 429 || status >= 500;
        }
    }
}
