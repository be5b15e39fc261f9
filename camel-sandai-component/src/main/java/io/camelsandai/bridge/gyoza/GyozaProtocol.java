package io.camelsandai.bridge.gyoza;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

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
import io.camelsandai.bridge.WorkerControl;
import io.camelsandai.bridge.WorkerSnapshot;
import io.camelsandai.model.OperatorRequest;

/**
 * The gyoza worker side: heartbeat ({@code POST /workers/heartbeat}), claim ({@code POST /workers/{id}/claim}) and
 * run events ({@code POST /runs/{id}/events}: STARTED, PROGRESS, then COMPLETED, FAILED or CANCELLED). Runs that
 * the server ends while their operator still works (cancelled by a user) are found on each heartbeat with
 * {@code GET /runs/{id}}; their cancel key is set and nothing more is posted for them.
 */
final class GyozaProtocol implements BridgeProtocol<GyozaOp> {
    private static final Logger LOG = LoggerFactory.getLogger(GyozaProtocol.class);
    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");

    private final GyozaConfig config;
    private final GyozaHttp http;
    /** Claimed and not yet released, as received: listed as {@code running_ops} in heartbeats. */
    private final Map<String, Map<String, Object>> runningOps = new ConcurrentHashMap<>();
    /** Runs whose STARTED was handed to the outbox. */
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    /** Runs whose final event was handed to the outbox: no longer watched. */
    private final Set<String> finalized = ConcurrentHashMap.newKeySet();
    /** Runs the server ended on its own (state read on a heartbeat): nothing more is posted for them. */
    private final Map<String, String> endedByServer = new ConcurrentHashMap<>();
    private final Object idle = new Object();
    private volatile boolean interrupted;
    private volatile WorkerControl control;

    GyozaProtocol(GyozaConfig config) {
        this.config = config;
        this.http = new GyozaHttp(config);
    }

    @Override
    public void bind(WorkerControl control) {
        this.control = control;
    }

    @Override
    public void open() throws Exception {
        sendHeartbeat(List.of());
        LOG.info("gyoza worker {} announced to {}", config.workerId(), config.baseUrl());
    }

    // ---- heartbeat -------------------------------------------------------------------------------------------------

    @Override
    public void heartbeat(WorkerSnapshot snapshot) throws Exception {
        sendHeartbeat(runningOps(snapshot.runningTaskIds()));
        watchForRunsEndedByServer(snapshot.runningTaskIds());
    }

    private List<Object> runningOps(List<String> ids) {
        List<Object> ops = new ArrayList<>();
        ids.forEach(id -> {
            Map<String, Object> op = runningOps.get(id);
            if (op != null) {
                ops.add(op);
            }
        });
        return ops;
    }

    private void sendHeartbeat(List<Object> ops) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("worker_id", config.workerId());
        body.put("resources", config.resources());
        body.put("tags", config.tags());
        body.put("running_ops", ops);
        http.send("POST", "/workers/heartbeat", body, false);
    }

    /**
     * The protocol pushes nothing to a worker, so a run cancelled on the server (or ended there for any other reason)
     * is seen by reading its state. Its cancel key is set: the operator checks it before compute (sandai-operator.md,
     * Cancellation), so a task not yet computing ends cancelled and one already computing runs to its end; either
     * way its outcome is dropped, and the slot frees when the operator answers.
     */
    private void watchForRunsEndedByServer(List<String> ids) {
        for (String id : ids) {
            if (!runningOps.containsKey(id) || finalized.contains(id) || endedByServer.containsKey(id)) {
                continue;
            }
            String state;
            try {
                state = runState(id);
            } catch (Exception e) {
                LOG.debug("gyoza: state of run {} not read: {}", id, e.toString());
                continue;
            }
            if (state != null && TERMINAL.contains(state) && !finalized.contains(id)) {
                endedByServer.put(id, state);
                LOG.info("gyoza run {} is {} on the server; setting its cancel key", id, state);
                WorkerControl c = control;
                if (c != null) {
                    c.cancel(id);
                }
            }
        }
    }

    /** The run's state, upper case; null when the answer has none. */
    private String runState(String runId) throws Exception {
        JsonNode run = http.send("GET", "/runs/" + GyozaHttp.segment(runId), null, true);
        String state = run.path("state").asText(null);
        return state == null ? null : state.toUpperCase(Locale.ROOT);
    }

    // ---- claim -------------------------------------------------------------------------------------------------------

    @Override
    public List<GyozaOp> fetch(WorkerSnapshot snapshot) throws Exception {
        String path = "/workers/" + GyozaHttp.segment(config.workerId()) + "/claim";
        JsonNode answer;
        try {
            answer = http.send("POST", path, null, true);
        } catch (GyozaHttp.StatusException e) {
            if (e.status != 404) {
                throw e;
            }
            // The server does not know this worker (it restarted, or dropped it as silent): announce it again.
            LOG.info("gyoza does not know worker {} ({}); sending a heartbeat before claiming again",
                    config.workerId(), e.getMessage());
            sendHeartbeat(runningOps(snapshot.runningTaskIds()));
            answer = http.send("POST", path, null, true);
        }
        List<GyozaOp> ops = new ArrayList<>();
        // {"ops": [...]} as the protocol says; a bare list is read too, an empty answer means no work
        JsonNode list = answer.isArray() ? answer : answer.path("ops");
        if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
            throw new java.io.IOException("claim answer's ops is not a list: " + list);
        }
        for (JsonNode node : list) {
            GyozaOp op = claimed(node);
            if (op != null) {
                ops.add(op);
            }
        }
        if (ops.isEmpty()) {
            waitBeforeNextClaim();
        }
        return ops;
    }

    private GyozaOp claimed(JsonNode node) {
        if (!node.isObject()) {
            LOG.error("gyoza: ignoring a claimed op that is not an object: {}", node);
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = GyozaHttp.JSON.convertValue(node, Map.class);
        GyozaOp op = GyozaOp.fromMap(raw);
        if (op.runId() == null) {
            LOG.error("gyoza: a claimed op has no run id (run_id, op_run_id, run.id or id), so it can neither run nor"
                      + " be failed: fields {}", raw.keySet());
            return null;
        }
        if (runningOps.putIfAbsent(op.runId(), raw) != null) {
            LOG.warn("gyoza handed out run {} again while it runs here; the copy is ignored", op.runId());
            return null;
        }
        return op;
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

    // ---- op -> operator ----------------------------------------------------------------------------------------------

    /**
     * The binding for an op: the one whose definition name and {@code definition-version} both match, else one
     * whose name matches and that names no version, else one whose {@code image} matches (a binding image without a
     * tag or digest matches every tag of that image).
     */
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
            if (byImage == null && imageMatches(b.attribute("image"), op.image())) {
                byImage = b;
            }
        }
        return byName != null ? byName : byImage;
    }

    static boolean imageMatches(String wanted, String actual) {
        if (wanted == null || actual == null) {
            return false;
        }
        return wanted.equals(actual) || (!hasTagOrDigest(wanted) && wanted.equals(repository(actual)));
    }

    private static boolean hasTagOrDigest(String image) {
        return image.contains("@") || image.lastIndexOf(':') > image.lastIndexOf('/');
    }

    private static String repository(String image) {
        String s = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = s.lastIndexOf(':');
        return colon > s.lastIndexOf('/') ? s.substring(0, colon) : s;
    }

    @Override
    public Preparation prepare(GyozaOp op) {
        OperatorBinding binding = bindingFor(op);
        if (binding == null) {
            return Preparation.done(CallOutcome.failure(CallOutcome.Kind.UNSUPPORTED, "UnknownOp",
                    "no Sandai operator is mapped for definition " + op.definition() + " version " + op.version()
                    + " image " + op.image(), false));
        }
        if (op.inputsMap() == null) {
            return Preparation.done(CallOutcome.failure(CallOutcome.Kind.INVALID_INPUT, "InvalidInput",
                    op.inputs() == null ? "the claimed op has no inputs (fields: " + op.raw().keySet() + ")"
                            : "the claimed op's inputs are not an object", false));
        }
        OperatorRequest request;
        try {
            request = RequestMapping.toRequest(op.inputsMap(), binding.inputSlots());
        } catch (IllegalArgumentException e) {
            return Preparation.done(CallOutcome.failure(CallOutcome.Kind.INVALID_INPUT, "InvalidInput", e.getMessage(),
                    false));
        }
        return Preparation.call(new OperatorCall(binding.target(), request, null,
                config.cancelKeyPrefix() + op.runId()));
    }

    // ---- events ------------------------------------------------------------------------------------------------------

    private Map<String, Object> eventBody(String type, Object msg, Map<String, Object> payload) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("msg", msg);
        if (payload != null) {
            body.put("payload", payload);
        }
        return body;
    }

    /**
     * Posts one event. A refusal (400, 404, ...) is final; a failure to reach the server, a 5xx or a 429 is retried by
     * the outbox. Before a retry the run's state tells whether the earlier try had landed with its answer lost (a
     * timeout): then the event counts as delivered instead of being sent twice, which the server would refuse.
     */
    private Delivery post(String runId, Map<String, Object> body, AtomicInteger tries) throws Exception {
        String type = String.valueOf(body.get("type"));
        if (tries.getAndIncrement() > 0 && !"PROGRESS".equals(type) && landedEarlier(runId, type)) {
            LOG.info("gyoza: {} of run {} had landed on an earlier try", type, runId);
            return Delivery.DELIVERED;
        }
        try {
            http.send("POST", "/runs/" + GyozaHttp.segment(runId) + "/events", body, false);
            return Delivery.DELIVERED;
        } catch (GyozaHttp.StatusException e) {
            if (e.isFinal()) {
                LOG.warn("gyoza refused {} for run {}: {}", type, runId, e.getMessage());
                return Delivery.REJECTED;
            }
            if (e.isTemporary()) {
                throw new RetryLaterException(e.getMessage(), null);
            }
            throw e; // 401/403 and the like: kept and retried until the key is fixed or the worker stops
        }
    }

    private boolean landedEarlier(String runId, String type) {
        try {
            String state = runState(runId);
            return "STARTED".equals(type) ? "RUNNING".equals(state) || "STARTED".equals(state) : type.equals(state);
        } catch (Exception e) {
            return false;
        }
    }

    private Report event(GyozaOp op, String type, Object msg, Map<String, Object> payload, boolean bestEffort) {
        Map<String, Object> body = eventBody(type, msg, payload);
        AtomicInteger tries = new AtomicInteger();
        return new Report(op.runId(), type, () -> post(op.runId(), body, tries), bestEffort);
    }

    @Override
    public Report startReport(GyozaOp op) {
        started.add(op.runId());
        return event(op, "STARTED", "started by " + config.workerId(), null, false);
    }

    @Override
    public Report progressReport(GyozaOp op, ProgressUpdate update) {
        if (endedByServer.containsKey(op.runId())) {
            return null;
        }
        Map<String, Object> payload = update.message() == null ? null : Map.of("message", update.message());
        return event(op, "PROGRESS", update.wholePercent(), payload, true);
    }

    @Override
    public Report finalReport(GyozaOp op, CallOutcome outcome, boolean cancelRequested) {
        String runId = op.runId();
        finalized.add(runId);
        String endedAs = endedByServer.get(runId);
        if (endedAs != null) {
            // The server ended the run itself: any event now would be refused as an invalid transition.
            return new Report(runId, "nothing (the server ended the run as " + endedAs + ")",
                    () -> Delivery.DELIVERED, false);
        }
        Map<String, Object> last;
        if (outcome.isSuccess()) {
            last = eventBody("COMPLETED", "completed",
                    Map.of("outputs", RequestMapping.toOutputs(outcome.result())));
        } else if (outcome.kind() == CallOutcome.Kind.CANCELLED) {
            last = eventBody("CANCELLED", "cancelled", null);
        } else {
            String message = outcome.message() == null ? outcome.kind().name() : outcome.message();
            String kind = outcome.kind().name().toLowerCase(Locale.ROOT);
            // The payload is exactly what the protocol names; the error's class goes into the free-text msg.
            last = eventBody("FAILED", outcome.errorType() == null ? kind + ": " + message
                    : kind + " (" + outcome.errorType() + "): " + message, Map.of("error_message", message));
        }
        if (started.contains(runId)) {
            AtomicInteger tries = new AtomicInteger();
            return new Report(runId, String.valueOf(last.get("type")), () -> post(runId, last, tries), false);
        }
        // Taken but never started (the worker stops with it still waiting for a slot): the server only lets a run
        // end after it started, so STARTED goes first, within the same report to keep the pair in order.
        Map<String, Object> start = eventBody("STARTED", "started by " + config.workerId(), null);
        AtomicBoolean startDone = new AtomicBoolean();
        AtomicInteger startTries = new AtomicInteger();
        AtomicInteger lastTries = new AtomicInteger();
        return new Report(runId, "STARTED+" + last.get("type"), () -> {
            if (!startDone.get()) {
                Delivery d = post(runId, start, startTries);
                if (d == Delivery.REJECTED) {
                    return d;
                }
                startDone.set(true);
            }
            return post(runId, last, lastTries);
        }, false);
    }

    @Override
    public void released(GyozaOp op) {
        String runId = op.runId();
        runningOps.remove(runId);
        started.remove(runId);
        finalized.remove(runId);
        endedByServer.remove(runId);
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
