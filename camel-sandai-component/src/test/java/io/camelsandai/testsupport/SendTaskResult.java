package io.camelsandai.testsupport;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code send_task.py} printed, one JSON object per task in the order sent:
 * {@code {"id","state","result"}} when {@code get()} returned, {@code {"id","state","error_type","error"}}
 * when it raised (FAILURE, timeout), {@code {"id","queue","sent":true}} with {@code --no-wait}.
 */
public record SendTaskResult(ScriptResult script, List<JsonNode> lines) {

    /** The line of the task at {@code index} (order sent). */
    public JsonNode line(int index) {
        if (index >= lines.size()) {
            throw new AssertionError("no result line " + index + "\n" + script);
        }
        return lines.get(index);
    }

    /** The line of the task with this id. */
    public JsonNode byId(String id) {
        return lines.stream().filter(l -> id.equals(l.path("id").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no result line for task " + id + "\n" + script));
    }

    /** Task ids, in the order sent. */
    public List<String> ids() {
        return lines.stream().map(l -> l.path("id").asText()).toList();
    }

    @Override
    public String toString() {
        return lines + "\n" + script;
    }
}
