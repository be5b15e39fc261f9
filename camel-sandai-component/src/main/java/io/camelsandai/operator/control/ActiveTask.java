package io.camelsandai.operator.control;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelsandai.codec.TaskEnvelope;

/**
 * A task as Celery 5.2's {@code Request.info()} describes it to {@code celery inspect active|reserved|scheduled}.
 *
 * @param queue     the queue (routing key) it was taken from
 * @param timeStart epoch seconds when the handler was called (Celery's {@code time_start}); NaN while not started
 */
public record ActiveTask(String id, String name, List<Object> args, Map<String, Object> kwargs, String argsRepr,
        String kwargsRepr, String queue, int priority, Object redelivered, boolean acknowledged, double timeStart) {

    /**
     * Describes a task about to run; {@code acknowledged} is true when its message was already acked. The start time
     * is set by {@link WorkerState#started} (a task may wait for a free slot first).
     */
    public static ActiveTask starting(TaskEnvelope envelope, TaskEnvelope.TaskBody body, String queue,
                                      boolean acknowledged) {
        Map<String, Object> h = envelope.headers();
        return new ActiveTask(envelope.taskId(), envelope.taskName(), body.args(), body.kwargs(), text(h.get("argsrepr")),
                text(h.get("kwargsrepr")), queue, envelope.priority(), envelope.properties().get("redelivered"),
                acknowledged, Double.NaN);
    }

    ActiveTask startedAt(double epochSeconds) {
        return new ActiveTask(id, name, args, kwargs, argsRepr, kwargsRepr, queue, priority, redelivered, acknowledged,
                epochSeconds);
    }

    private static String text(Object o) {
        return o instanceof String s ? s : null;
    }

    /**
     * The member of the {@code active} / {@code reserved} reply; {@code safe} reports the repr headers instead of the
     * values. A task not started yet has no {@code time_start} and no {@code worker_pid}, as in Celery.
     */
    Map<String, Object> info(boolean safe, String hostname, long workerPid) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("args", safe && argsRepr != null ? argsRepr : args);
        m.put("kwargs", safe && kwargsRepr != null ? kwargsRepr : kwargs);
        m.put("type", name);
        m.put("hostname", hostname);
        boolean started = !Double.isNaN(timeStart);
        m.put("time_start", started ? timeStart : null);
        m.put("acknowledged", acknowledged);
        Map<String, Object> delivery = new LinkedHashMap<>();
        delivery.put("exchange", "");
        delivery.put("routing_key", queue);
        delivery.put("priority", priority);
        delivery.put("redelivered", redelivered);
        m.put("delivery_info", delivery);
        m.put("worker_pid", started ? workerPid : null);
        return m;
    }
}
