package io.camelsandai.operator.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.PythonJson;

/**
 * Celery's worker events ({@code worker-online}, {@code worker-heartbeat} every 2 s, {@code worker-offline}) as a
 * Celery 5.2 worker sends them even without {@code -E}: a kombu envelope PUBLISHed on
 * {@code /<db>.celeryev/worker.<kind>} (topic exchange {@code celeryev}, routing key {@code worker.<kind>}). Flower
 * and {@code celery events} use them to list the worker as online.
 */
final class WorkerEvents {
    static final double FREQ_SECONDS = 2.0;
    static final String EXCHANGE = "celeryev";

    private final String nodeName;
    private final int database;
    private final long pid = ProcessHandle.current().pid();
    private final String version;

    WorkerEvents(String nodeName, int database) {
        this.nodeName = nodeName;
        this.database = database;
        String v = WorkerEvents.class.getPackage().getImplementationVersion();
        this.version = v != null ? v : "unknown";
    }

    /** {@code online}, {@code heartbeat} or {@code offline}. */
    String channel(String kind) {
        return "/" + database + "." + EXCHANGE + "/worker." + kind;
    }

    byte[] envelope(String kind, long clock, int active, long processed) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hostname", nodeName);
        body.put("utcoffset", utcoffset());
        body.put("pid", pid);
        body.put("clock", clock);
        body.put("freq", FREQ_SECONDS);
        body.put("active", active);
        body.put("processed", processed);
        body.put("loadavg", loadAverage());
        body.put("sw_ident", "camel-sandai");
        body.put("sw_ver", version);
        body.put("sw_sys", System.getProperty("os.name"));
        body.put("timestamp", System.currentTimeMillis() / 1000.0);
        body.put("type", "worker-" + kind);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("body", Base64.getEncoder().encodeToString(ContentType.JSON.encode(body)));
        m.put("content-encoding", "utf-8");
        m.put("content-type", "application/json");
        m.put("headers", Map.of("hostname", nodeName));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("delivery_mode", 1);
        Map<String, Object> deliveryInfo = new LinkedHashMap<>();
        deliveryInfo.put("exchange", EXCHANGE);
        deliveryInfo.put("routing_key", "worker." + kind);
        properties.put("delivery_info", deliveryInfo);
        properties.put("priority", 0);
        properties.put("body_encoding", "base64");
        properties.put("delivery_tag", UUID.randomUUID().toString());
        m.put("properties", properties);
        return PythonJson.encode(m);
    }

    /** Celery's {@code utcoffset()}: whole hours west of UTC. */
    private static long utcoffset() {
        int east = ZoneId.systemDefault().getRules().getOffset(Instant.now()).getTotalSeconds();
        return Math.floorDiv(-east, 3600);
    }

    /** Celery's {@code load_average()}: the three load averages rounded to 2 decimals. */
    private static List<Object> loadAverage() {
        List<Object> out = new ArrayList<>();
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            for (int i = 0; i < 3; i++) {
                out.add(Math.round(Double.parseDouble(parts[i]) * 100) / 100.0);
            }
        } catch (IOException | RuntimeException e) {
            out.clear();
            double one = Math.max(0, java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
            out.addAll(List.of(Math.round(one * 100) / 100.0, 0.0, 0.0));
        }
        return out;
    }
}
