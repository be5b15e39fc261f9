package io.camelsandai.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EnvelopeScanTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void findsTheTaskIdOfARealEnvelopeAsParsingDoes() {
        TaskMessage m = TaskMessage.builder().taskName("sandai.operator.process").queue("normal.op.v1")
                .kwargs(Map.of("options", Map.of("pad", "x".repeat(10_000), "trap", "\"correlation_id\": \"evil\"")))
                .deliveryTag("tag-1").build();
        String envelope = m.toEnvelope();
        assertEquals(TaskEnvelope.parse(envelope).taskId(), EnvelopeScan.taskId(bytes(envelope)));
        assertEquals(m.id(), EnvelopeScan.taskId(bytes(envelope)));
    }

    @Test
    void givesUpRatherThanGuess() {
        assertNull(EnvelopeScan.taskId(bytes("{\"body\": \"eHg=\"}")), "no key");
        assertNull(EnvelopeScan.taskId(bytes("{\"properties\": {\"correlation_id\": \"a\"}, "
                                             + "\"x\": {\"correlation_id\": \"b\"}}")), "two keys");
        assertNull(EnvelopeScan.taskId(bytes("{\"properties\": {\"correlation_id\": 5}}")), "not a string");
        assertNull(EnvelopeScan.taskId(bytes("{\"properties\": {\"correlation_id\": \"a\\u0041\"}}")), "escapes");
        assertNull(EnvelopeScan.taskId(bytes("{\"properties\": {\"correlation_id\": \"\"}}")), "empty");
        assertNull(EnvelopeScan.taskId(bytes("{\"properties\": {\"correlation_id\": \"" + "a".repeat(300) + "\"}}")),
                "longer than any task id");
        assertNull(EnvelopeScan.taskId(bytes("{\"properties\": {\"correlation_id\": \"unterminated")), "cut off");
        assertEquals("abc", EnvelopeScan.taskId(bytes("{\"properties\":{\"correlation_id\":\"abc\"}}")), "compact");
    }
}
