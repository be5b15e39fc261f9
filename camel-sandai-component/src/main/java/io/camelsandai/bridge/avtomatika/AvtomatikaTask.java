package io.camelsandai.bridge.avtomatika;

import java.util.Map;

/**
 * A TaskPayload as polled, and the orchestrator it came from (its result goes back there).
 *
 * @param jobId    {@code job_id}
 * @param taskId   {@code task_id}
 * @param type     the skill name
 * @param params   {@code params}; may be empty
 * @param deadline absolute unix seconds, or null
 * @param payload  the whole payload as received (unknown members kept)
 */
public record AvtomatikaTask(String jobId, String taskId, String type, Map<String, Object> params, Double deadline,
        Map<String, Object> payload, RxonClient origin) {

    @Override
    public String toString() {
        return "AvtomatikaTask[" + taskId + " " + type + " job " + jobId + "]";
    }
}
