package io.camelsandai.codec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a stored meta decodes to: Celery's six members, and anything {@code result_extended} adds in extra. */
class ResultMetaDecodeTest {
    private static ResultMeta decode(String json) {
        return ResultMeta.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPlainMetaHasNoExtraMembers() {
        ResultMeta meta = decode("{\"status\": \"SUCCESS\", \"result\": {\"status\": \"success\"}, \"traceback\": null, "
                                 + "\"children\": [], \"date_done\": \"2026-12-02T09:00:00.000000\", \"task_id\": \"t1\"}");
        assertEquals("SUCCESS", meta.status());
        assertEquals(Map.of("status", "success"), meta.result());
        assertEquals("t1", meta.taskId());
        assertEquals("2026-12-02T09:00:00.000000", meta.dateDone());
        assertEquals(Map.of(), meta.extra());
    }

    @Test
    void extendedMembersAreKeptInTheirOrder() {
        ResultMeta meta = decode("{\"status\": \"SUCCESS\", \"result\": 1, \"traceback\": null, \"children\": [], "
                                 + "\"date_done\": null, \"task_id\": \"t2\", \"name\": \"noop\", \"args\": [1], "
                                 + "\"queue\": \"normal.q\"}");
        assertEquals(List.of("name", "args", "queue"), List.copyOf(meta.extra().keySet()));
        assertEquals("[1]", String.valueOf(meta.extra().get("args")));
    }

    @Test
    void aShortMetaWithAnUnknownMemberKeepsIt() {
        ResultMeta meta = decode("{\"status\": \"PROGRESS\", \"result\": {\"done\": 3}, \"meta\": 7}");
        assertEquals("{meta=7}", meta.extra().toString());
        assertEquals("{done=3}", String.valueOf(meta.result()));
    }

    @Test
    void aMetaWithoutAStringStatusIsRefused() {
        assertThrows(MalformedMessageException.class, () -> decode("{\"result\": 1}"));
        assertThrows(MalformedMessageException.class, () -> decode("{\"status\": 3}"));
    }
}
