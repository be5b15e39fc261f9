package io.camelsandai.operator.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote-control commands a worker answers, with the reply shapes of Celery 5.2's {@code celery/worker/control.py}:
 * {@code {"ok": ...}} / {@code {"error": ...}} for control commands, plain values for inspect commands.
 */
final class ControlCommands {
    private static final Logger LOG = LoggerFactory.getLogger(ControlCommands.class);
    /** Celery commands this worker knows but cannot honour: answered with an error rather than a KeyError. */
    static final Set<String> UNSUPPORTED = Set.of("shutdown", "pool_grow", "pool_shrink", "pool_restart", "autoscale",
            "add_consumer", "cancel_consumer", "rate_limit", "time_limit", "enable_events", "disable_events",
            "heartbeat", "election", "conf", "report", "memsample", "memdump", "objgraph");

    /** Thrown for a method no handler knows: kombu answers {@code {"error": "KeyError('<method>')"}}. */
    static final class UnknownCommand extends RuntimeException {
        UnknownCommand(String method) {
            super("KeyError('" + method.replace("\\", "\\\\").replace("'", "\\'") + "')", null, false, false);
        }
    }

    private final ControlSettings settings;
    private final WorkerState state;
    private final LongSupplier clockValue;
    private final LongSupplier clockForward;
    private final long pid = ProcessHandle.current().pid();
    private final long startedNanos = System.nanoTime();

    ControlCommands(ControlSettings settings, WorkerState state, LongSupplier clockValue, LongSupplier clockForward) {
        this.settings = settings;
        this.state = state;
        this.clockValue = clockValue;
        this.clockForward = clockForward;
    }

    /** Runs one command; throws {@link UnknownCommand} or a RuntimeException for bad arguments. */
    Object run(String method, Map<String, Object> args) {
        if (UNSUPPORTED.contains(method)) {
            return nok(method + " is not supported by this worker (camel-sandai operator runtime)");
        }
        return switch (method) {
            case "ping" -> ok("pong");
            case "stats" -> stats();
            case "active" -> active(Boolean.TRUE.equals(args.get("safe")));
            case "reserved" -> reserved();
            case "scheduled" -> scheduled();
            case "registered" -> new ArrayList<>(new TreeSet<>(settings.taskNames()));
            case "active_queues" -> activeQueues();
            case "revoked" -> state.revoked().ids();
            case "revoke" -> revoke(ids(args.get("task_id")), Boolean.TRUE.equals(args.get("terminate")));
            case "terminate" -> revoke(ids(args.get("task_id")), true);
            case "query_task" -> queryTask(ids(args.get("ids")));
            case "clock" -> Map.of("clock", clockValue.getAsLong());
            case "hello" -> hello(args.get("from_node"), args.get("revoked"));
            default -> throw new UnknownCommand(method);
        };
    }

    static Map<String, Object> ok(Object value) {
        return Map.of("ok", value);
    }

    static Map<String, Object> nok(Object value) {
        return Map.of("error", value);
    }

    /** Celery's {@code maybe_list}: one id or a list of ids. */
    private static Set<String> ids(Object value) {
        Set<String> ids = new LinkedHashSet<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> ids.add(String.valueOf(v)));
        } else if (value != null) {
            ids.add(String.valueOf(value));
        }
        return ids;
    }

    private Map<String, Object> revoke(Set<String> ids, boolean terminate) {
        state.revoked().addAll(ids);
        if (terminate) {
            List<String> running = ids.stream().filter(state::isActive).toList();
            if (running.isEmpty()) {
                return ok("terminate: tasks unknown");
            }
            LOG.warn("revoke with terminate for running tasks {}: not supported, they run to the end", running);
            return nok("terminate is not supported by this worker; running tasks continue: "
                       + String.join(", ", running));
        }
        String idstr = String.join(", ", ids);
        LOG.info("Tasks flagged as revoked: {}", idstr);
        return ok("tasks " + idstr + " flagged as revoked");
    }

    private List<Object> active(boolean safe) {
        List<Object> infos = new ArrayList<>();
        for (ActiveTask t : state.active()) {
            infos.add(t.info(safe, settings.nodeName(), pid));
        }
        return infos;
    }

    /** Taken and waiting to start; Celery reports them unsafe (values, not reprs). */
    private List<Object> reserved() {
        List<Object> infos = new ArrayList<>();
        for (ActiveTask t : state.reserved()) {
            infos.add(t.info(false, settings.nodeName(), pid));
        }
        return infos;
    }

    private List<Object> scheduled() {
        List<Object> infos = new ArrayList<>();
        for (ScheduledTask t : state.scheduled()) {
            infos.add(t.info(settings.nodeName(), pid));
        }
        return infos;
    }

    /** As Celery: running tasks are "active", those waiting to start "reserved"; held eta tasks are not known yet. */
    private Map<String, Object> queryTask(Set<String> ids) {
        Map<String, Object> found = new LinkedHashMap<>();
        for (String id : ids) {
            ActiveTask t = state.activeTask(id);
            if (t != null) {
                found.put(id, List.of("active", t.info(false, settings.nodeName(), pid)));
            }
        }
        if (found.size() < ids.size()) {
            for (ActiveTask t : state.reserved()) {
                if (ids.contains(t.id())) {
                    found.putIfAbsent(t.id(), List.of("reserved", t.info(false, settings.nodeName(), pid)));
                }
            }
        }
        return found;
    }

    /** Mingle: merge the sender's revoked ids, answer ours; silent (null) when we are the sender. */
    private Object hello(Object fromNode, Object revoked) {
        if (settings.nodeName().equals(fromNode)) {
            return null;
        }
        if (revoked instanceof Map<?, ?> data) {
            data.forEach((id, entry) -> {
                Object at = entry instanceof List<?> l && !l.isEmpty() ? l.get(0) : entry;
                if (at instanceof Number n) {
                    state.revoked().add(String.valueOf(id), n.doubleValue());
                }
            });
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("revoked", state.revoked().asCeleryData());
        reply.put("clock", clockForward.getAsLong());
        return reply;
    }

    private Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", state.totals());
        m.put("pid", pid);
        m.put("clock", Long.toString(clockValue.getAsLong()));
        m.put("uptime", (System.nanoTime() - startedNanos) / 1_000_000_000L);
        Map<String, Object> pool = new LinkedHashMap<>();
        pool.put("max-concurrency", settings.concurrency());
        pool.put("processes", List.of(pid));
        pool.put("max-tasks-per-child", "N/A");
        pool.put("put-guarded-by-semaphore", false);
        pool.put("timeouts", List.of(0, 0));
        m.put("pool", pool);
        m.put("broker", settings.broker().asStats());
        m.put("prefetch_count", settings.prefetch());
        return m;
    }

    private List<Object> activeQueues() {
        List<Object> queues = new ArrayList<>();
        for (String q : settings.queues()) {
            Map<String, Object> exchange = new LinkedHashMap<>();
            exchange.put("name", q);
            exchange.put("type", "direct");
            exchange.put("arguments", null);
            exchange.put("durable", true);
            exchange.put("passive", false);
            exchange.put("auto_delete", false);
            exchange.put("delivery_mode", null);
            exchange.put("no_declare", false);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", q);
            m.put("exchange", exchange);
            m.put("routing_key", q);
            for (String k : List.of("queue_arguments", "binding_arguments", "consumer_arguments")) {
                m.put(k, null);
            }
            m.put("durable", true);
            m.put("exclusive", false);
            m.put("auto_delete", false);
            m.put("no_ack", false);
            m.put("alias", null);
            m.put("bindings", List.of());
            for (String k : List.of("no_declare", "expires", "message_ttl", "max_length", "max_length_bytes",
                    "max_priority")) {
                m.put(k, null);
            }
            queues.add(m);
        }
        return queues;
    }
}
