package io.camelsandai.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.URISupport;
import org.apache.camel.util.json.JsonObject;

import io.camelsandai.client.OperatorClient;
import io.camelsandai.component.SandaiConsumer;
import io.camelsandai.component.SandaiEndpoint;
import io.camelsandai.metrics.PoolStats;
import io.camelsandai.operator.OperatorRuntime;

/**
 * The {@code sandai} dev console: per {@code sandai:} endpoint its queues and their depths, the workers that answer a
 * remote-control ping, the tasks its consumer runs and has reserved, the results this JVM waits for, the broker pool
 * and the last error of each part. Text and JSON, like Camel's own consoles. Option {@code pingTimeout} (a duration: {@code 2} = 2 s, {@code 500ms}; default 1s).
 */
@DevConsole(name = "sandai", displayName = "Sandai", description = "Sandai operators: queues, workers, tasks, pools")
public class SandaiDevConsole extends AbstractDevConsole {
    public static final String PING_TIMEOUT = "pingTimeout";
    private static final Duration DEFAULT_PING = Duration.ofSeconds(1);

    public SandaiDevConsole() {
        super("camel", "sandai", "Sandai", "Sandai operators: queues, workers, tasks, pools");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> e : endpoints(options)) {
            sb.append(String.format("%n    Endpoint: %s", e.get("uri")));
            sb.append(String.format("%n    Operator: %s %s", e.get("operator"), e.get("version")));
            if (e.get("routeId") != null) {
                sb.append(String.format("%n    Consumer route: %s (active %s, reserved %s, in flight %s, held for eta %s)",
                        e.get("routeId"), e.get("active"), e.get("reserved"), e.get("inFlight"), e.get("heldForEta")));
            }
            if (e.get("queues") instanceof Map<?, ?> queues) {
                queues.forEach((q, depth) -> sb.append(String.format("%n    Queue: %s depth %s", q, depth)));
            }
            if (e.get("workers") instanceof Map<?, ?> workers) {
                sb.append(String.format("%n    Workers: %d", workers.size()));
                workers.forEach((node, reply) -> sb.append(String.format("%n        %s: %s", node, reply)));
            }
            if (e.get("resultsWaitedFor") != null) {
                sb.append(String.format("%n    Results waited for: %s", e.get("resultsWaitedFor")));
            }
            if (e.get("pool") instanceof Map<?, ?> pool) {
                sb.append(String.format("%n    Broker pool: active %s, idle %s, waiting %s, max %s", pool.get("active"),
                        pool.get("idle"), pool.get("waiting"), pool.get("max")));
            }
            if (e.get("recentFailures") instanceof List<?> failures) {
                failures.forEach(f -> sb.append(String.format("%n    Recent failure: %s", f)));
            }
            if (e.get("errors") instanceof List<?> errors) {
                errors.forEach(err -> sb.append(String.format("%n    Last error: %s", err)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        List<JsonObject> list = new ArrayList<>();
        for (Map<String, Object> e : endpoints(options)) {
            JsonObject jo = new JsonObject();
            e.forEach((k, v) -> jo.put(k, json(v)));
            list.add(jo);
        }
        root.put("endpoints", list);
        return root;
    }

    /** Maps (also inside lists, e.g. recent failures) as JSON objects. */
    private static Object json(Object v) {
        if (v instanceof Map<?, ?> m) {
            return new JsonObject(copy(m));
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(item -> out.add(json(item)));
            return out;
        }
        return v;
    }

    private static Map<String, Object> copy(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Map<?, ?> m ? new JsonObject(copy(m)) : v));
        return out;
    }

    private List<Map<String, Object>> endpoints(Map<String, Object> options) {
        Duration ping = pingTimeout(options);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Endpoint endpoint : getCamelContext().getEndpoints()) {
            if (endpoint instanceof SandaiEndpoint sandai) {
                out.add(describe(sandai, ping));
            }
        }
        return out;
    }

    private Map<String, Object> describe(SandaiEndpoint endpoint, Duration ping) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("uri", URISupport.sanitizeUri(endpoint.getEndpointUri()));
        e.put("operator", endpoint.getOperatorName());
        e.put("version", endpoint.getOperatorVersion());
        List<String> errors = new ArrayList<>();
        for (Route route : getCamelContext().getRoutes()) {
            if (route.getEndpoint() == endpoint && route.getConsumer() instanceof SandaiConsumer consumer) {
                e.put("routeId", route.getRouteId());
                OperatorRuntime runtime = consumer.getRuntime();
                if (runtime != null) {
                    e.put("active", runtime.active());
                    e.put("reserved", runtime.reserved());
                    e.put("inFlight", runtime.inFlight());
                    e.put("heldForEta", runtime.heldForEta());
                    e.put("redisReachable", runtime.isRedisReachable());
                    e.put("recentFailures", runtime.recentFailures());
                }
            }
        }
        // A client of the same settings shares the endpoint's broker pool and result backend (reference-counted).
        try (OperatorClient client = OperatorClient.create(endpoint.getOperatorName(), endpoint.getOperatorVersion(),
                endpoint.getConfiguration().toOperatorSettings())) {
            part(errors, "queues", () -> e.put("queues", client.queueDepths()));
            part(errors, "workers", () -> e.put("workers", client.pingWorkers(ping)));
            e.put("resultsWaitedFor", client.resultsWaitedFor());
            if (!client.settings().isAmqpBroker()) { // RabbitMQ: one connection, no pool
                PoolStats pool = client.brokerPool();
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("active", pool.active());
                p.put("idle", pool.idle());
                p.put("waiting", pool.waiting());
                p.put("max", pool.max());
                e.put("pool", p);
            }
        } catch (RuntimeException ex) {
            errors.add("client: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
        if (!errors.isEmpty()) {
            e.put("errors", errors);
        }
        return e;
    }

    /** One part of the view; its failure (Redis down, say) is reported, not thrown, so the rest still shows. */
    private static void part(List<String> errors, String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException ex) {
            errors.add(what + ": " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
    }

    private static Duration pingTimeout(Map<String, Object> options) {
        Object value = options == null ? null : options.get(PING_TIMEOUT);
        if (value == null) {
            return DEFAULT_PING;
        }
        try {
            return io.camelsandai.codec.Durations.parse(PING_TIMEOUT, String.valueOf(value));
        } catch (RuntimeException e) {
            return DEFAULT_PING;
        }
    }
}
