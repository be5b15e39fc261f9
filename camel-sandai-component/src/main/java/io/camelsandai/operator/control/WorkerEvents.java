package io.camelsandai.operator.control;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelsandai.codec.ContentType;

/**
 * Celery's worker events ({@code worker-online}, {@code worker-heartbeat} every 2 s, {@code worker-offline}) as a
 * Celery 5.2 worker sends them even without {@code -E}: JSON to the topic exchange {@code celeryev} with routing
 * key {@code worker.<kind>} and header {@code hostname} (on Redis a kombu envelope PUBLISHed on
 * {@code /<db>.celeryev/worker.<kind>}). Flower and {@code celery events} use them to list the worker as online.
 */
final class WorkerEvents {
    static final double FREQ_SECONDS = 2.0;
    static final String EXCHANGE = "celeryev";

    private final String nodeName;
    private final long pid = ProcessHandle.current().pid();
    private final String version;

    WorkerEvents(String nodeName) {
        this.nodeName = nodeName;
        String v = WorkerEvents.class.getPackage().getImplementationVersion();
        this.version = v != null ? v : "unknown";
    }

    /** The topic routing key of {@code online}, {@code heartbeat} or {@code offline}: {@code worker.<kind>}. */
    static String routingKey(String kind) {
        return "worker." + kind;
    }

    /** The event's header on both brokers: {@code {"hostname": <node>}}. */
    Map<String, Object> headers() {
        return Map.of("hostname", nodeName);
    }

    /** The JSON body of a worker event. */
    Map<String, Object> body(String kind, long clock, int active, long processed) {
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
        return body;
    }

    /** On Redis: the kombu envelope PUBLISHed on {@code /<db>.celeryev/worker.<kind>}. */
    byte[] redisEnvelope(String kind, Map<String, Object> body) {
        return KombuEnvelope.transientMessage(body, ContentType.JSON, headers(), EXCHANGE, routingKey(kind));
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
            double one = Math.max(0, ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
            out.addAll(List.of(Math.round(one * 100) / 100.0, 0.0, 0.0));
        }
        return out;
    }
}
