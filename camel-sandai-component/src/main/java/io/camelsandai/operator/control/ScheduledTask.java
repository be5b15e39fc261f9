package io.camelsandai.operator.control;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import io.camelsandai.codec.CeleryTimestamp;

/**
 * A task held until its {@code eta}, as {@code celery inspect scheduled} reports it.
 *
 * @param eta     the eta with the offset it was sent with
 * @param request the task (not started, not acknowledged: a held task stays in kombu's {@code unacked})
 */
public record ScheduledTask(OffsetDateTime eta, ActiveTask request) {
    /** The Celery 5.2 worker puts every eta task on its timer with this priority, and reports it. */
    static final int CELERY_ETA_TIMER_PRIORITY = 6;

    Map<String, Object> info(String hostname, long workerPid) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eta", CeleryTimestamp.isoformat(eta));
        m.put("priority", CELERY_ETA_TIMER_PRIORITY);
        m.put("request", request.info(false, hostname, workerPid));
        return m;
    }
}
