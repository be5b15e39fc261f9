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
        return KombuEnvelope.transientMessage(body, ContentType.JSON, Map.of("hostname", nodeName), EXCHANGE,
                "worker." + kind);
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
