package io.camelsandai.bridge.gyoza;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelsandai.bridge.BridgeProtocol;
import io.camelsandai.bridge.CallOutcome;
import io.camelsandai.bridge.Delivery;
import io.camelsandai.bridge.OperatorBinding;
import io.camelsandai.bridge.OperatorCall;
import io.camelsandai.bridge.ProgressUpdate;
import io.camelsandai.bridge.Report;
import io.camelsandai.bridge.RequestMapping;
import io.camelsandai.bridge.RetryLaterException;
import io.camelsandai.bridge.WorkerSnapshot;
import io.camelsandai.model.OperatorRequest;

/** The gyoza worker side: heartbeat, claim, and run events (STARTED, PROGRESS, COMPLETED/FAILED/CANCELLED). */
final class GyozaProtocol implements BridgeProtocol<GyozaOp> {
    private static final Logger LOG = LoggerFactory.getLogger(GyozaProtocol.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GyozaConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, Map<String, Object>> runningOps = new ConcurrentHashMap<>();
    private final Object idle = new Object();
    private volatile boolean interrupted;

    GyozaProtocol(GyozaConfig config) {
        this.config = config;
    }

    private JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.baseUrl() + path)).timeout(config.requestTimeout());
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
        if (status >= 200 && status < 300) {
            String text = r.body();
            return text == null || text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
        }
        throw new HttpStatusException(method + " " + path, status, r.body());
    }

    /** A non-2xx answer. */
    static final class HttpStatusException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        HttpStatusException(String what, int status, String body) {
            super(what + ": HTTP " + status + (body == null || body.isBlank() ? ""
                    : " " + (body.length() > 200 ? body.substring(0, 200) : body)));
            this.status = status;
        }

        /** 400 (invalid transition, run locked) and 404 (no such run) will not change by retrying. */
        boolean isFinal() {
            return status == 400 || status == 404 || status == 409 || status == 422;
        }
    }

    @Override
    public void open() throws Exception {
        sendHeartbeat(List.of());
        LOG.info("gyoza worker {} announced to {}", config.workerId(), config.baseUrl());
    }

    @Override
    public void heartbeat(WorkerSnapshot snapshot) throws Exception {
        List<Object> ops = new ArrayList<>();
        snapshot.runningTaskIds().forEach(id -> {
            Map<String, Object> op = runningOps.get(id);
            if (op != null) {
                ops.add(op);
            }
        });
        sendHeartbeat(ops);
    }

    private void sendHeartbeat(List<Object> ops) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("worker_id", config.workerId());
        body.put("resources", config.resources());
        body.put("tags", config.tags());
        body.put("running_ops", ops);
        call("POST", "/workers/heartbeat", body);
    }

    @Override
    public List<GyozaOp> fetch(WorkerSnapshot snapshot) throws Exception {
        JsonNode answer = call("POST", "/workers/" + config.workerId() + "/claim", null);
        List<GyozaOp> ops = new ArrayList<>();
        JsonNode list = answer.path("ops");
        if (list.isArray()) {
            for (JsonNode node : list) {
                if (!node.isObject()) {
                    LOG.warn("ignoring a claimed op that is not an object: {}", node);
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> raw = JSON.convertValue(node, Map.class);
                GyozaOp op = GyozaOp.fromMap(raw);
                if (op.runId() == null) {
                    LOG.error("claimed op without run_id/id cannot be run nor failed: {}", node);
                    continue;
                }
                runningOps.put(op.runId(), raw);
                ops.add(op);
            }
        }
        if (ops.isEmpty()) {
            waitBeforeNextClaim();
        }
        return ops;
    }

    private void waitBeforeNextClaim() throws InterruptedException {
        synchronized (idle) {
            if (!interrupted) {
                idle.wait(Math.max(1, config.claimInterval().toMillis()));
            }
        }
    }

    @Override
    public void interruptFetch() {
        synchronized (idle) {
            interrupted = true;
            idle.notifyAll();
        }
    }

    @Override
    public String taskId(GyozaOp op) {
        return op.runId();
    }

    @Override
    public String limitGroup(GyozaOp op) {
        OperatorBinding b = bindingFor(op);
        return b == null ? null : b.limitGroup();
    }

    OperatorBinding bindingFor(GyozaOp op) {
        OperatorBinding byName = null;
        OperatorBinding byImage = null;
        for (OperatorBinding b : config.ops()) {
            String definition = b.attribute("definition") != null ? b.attribute("definition") : b.key();
            String wantedVersion = b.attribute("definition-version");
            if (op.definition() != null && definition.equals(op.definition())) {
                if (wantedVersion != null && wantedVersion.equals(op.version())) {
                    return b; // exact name and version wins
                }
                if (wantedVersion == null && byName == null) {
                    byName = b;
                }
            }
            String image = b.attribute("image");
            if (image != null && image.equals(op.image()) && byImage == null) {
                byImage = b;
            }
        }
        return byName != null ? byName : byImage;
    }

    @Override
    public Preparation prepare(GyozaOp op) {
        OperatorBinding binding = bindingFor(op);
        if (binding == null) {
            return Preparation.done(CallOutcome.failure(CallOutcome.Kind.UNSUPPORTED, "UnknownOp",
                    "no Sandai operator is mapped for definition " + op.definition() + " version " + op.version()
                    + " image " + op.image(), false));
        }
        if (op.inputs() == null && op.raw().get("inputs") != null) {
            return Preparation.done(CallOutcome.failure(CallOutcome.Kind.INVALID_INPUT, "InvalidInput",
                    "the claimed op's inputs are not an object", false));
        }
        OperatorRequest request;
        try {
            request = RequestMapping.toRequest(op.inputs(), binding.inputSlots());
        } catch (IllegalArgumentException e) {
            return Preparation.done(CallOutcome.failure(CallOutcome.Kind.INVALID_INPUT, "InvalidInput", e.getMessage(),
                    false));
        }
        return Preparation.call(new OperatorCall(binding.target(), request, null,
                config.cancelKeyPrefix() + op.runId()));
    }

    private Report event(GyozaOp op, String type, Object msg, Map<String, Object> payload, boolean bestEffort) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("msg", msg);
        if (payload != null) {
            body.put("payload", payload);
        }
        Report.Sender sender = () -> {
            try {
                call("POST", "/runs/" + op.runId() + "/events", body);
                return Delivery.DELIVERED;
            } catch (HttpStatusException e) {
                if (e.status == 429 || e.status == 503) {
                    throw new RetryLaterException(e.getMessage(), null);
                }
                if (e.isFinal()) {
                    LOG.warn("gyoza refused {} for run {}: {}", type, op.runId(), e.getMessage());
                    return Delivery.REJECTED;
                }
                throw e;
            }
        };
        return new Report(op.runId(), type, sender, bestEffort);
    }

    @Override
    public Report startReport(GyozaOp op) {
        return event(op, "STARTED", "started by " + config.workerId(), null, false);
    }

    @Override
    public Report progressReport(GyozaOp op, ProgressUpdate update) {
        Map<String, Object> payload = update.message() == null ? null : Map.of("message", update.message());
        return event(op, "PROGRESS", update.wholePercent(), payload, true);
    }

    @Override
    public void released(GyozaOp op) {
        runningOps.remove(op.runId());
    }

    @Override
    public Report finalReport(GyozaOp op, CallOutcome outcome, boolean cancelRequested) {
        if (outcome.isSuccess()) {
            return event(op, "COMPLETED", "completed", Map.of("outputs", RequestMapping.toOutputs(outcome.result())),
                    false);
        }
        if (outcome.kind() == CallOutcome.Kind.CANCELLED) {
            return event(op, "CANCELLED", "cancelled", null, false);
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        String message = outcome.message() == null ? outcome.kind().name() : outcome.message();
        payload.put("error_message", message);
        payload.put("error_type", outcome.errorType());
        payload.put("retryable", outcome.retryable());
        return event(op, "FAILED", outcome.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + message, payload,
                false);
    }

    @Override
    public void close(WorkerSnapshot snapshot) {
        try {
            sendHeartbeat(List.of());
        } catch (Exception e) {
            LOG.debug("final heartbeat failed: {}", e.toString());
        }
    }
}
