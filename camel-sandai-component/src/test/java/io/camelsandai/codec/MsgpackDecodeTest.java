package io.camelsandai.codec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Msgpack#decode} reuses one unpacker per thread: no value may leak into the next, whatever came before. */
class MsgpackDecodeTest {
    @Test
    void eachValueReadsAloneAfterMalformedTruncatedAndLongOnes() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("options", Map.of("i", 7L));
        body.put("text", "é".repeat(700)); // longer than the unpacker's 512-char decoding buffer
        List<Object> value = List.of(List.of(), body, Arrays.asList(null, true, 1.5));
        byte[] bytes = Msgpack.encode(value);

        assertEquals(value, Msgpack.decode(bytes));
        for (int cut = 1; cut < bytes.length; cut += 97) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThrows(MalformedMessageException.class, () -> Msgpack.decode(truncated));
            assertEquals(value, Msgpack.decode(bytes), "after a value cut at " + cut);
        }
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
        assertEquals("msgpack: trailing bytes after the value",
                assertThrows(MalformedMessageException.class, () -> Msgpack.decode(trailing)).getMessage());
        assertEquals("short", Msgpack.decode(Msgpack.encode("short")));
        byte[] large = Msgpack.encode("x".repeat(100_000)); // beyond the reused size: a fresh unpacker
        assertEquals("x".repeat(100_000), Msgpack.decode(large));
        assertEquals("not valid msgpack: NullPointerException",
                assertThrows(MalformedMessageException.class, () -> Msgpack.decode(null)).getMessage());
    }
}
