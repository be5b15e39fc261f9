package io.camelsandai.bridge.runqy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AsynqTaskMessageTest {

    @Test
    void encodesCanonicalProto3Bytes() {
        AsynqTaskMessage m = AsynqTaskMessage.of("id1", "q.default", "{}".getBytes(StandardCharsets.UTF_8), 3, 300, 86400);
        // 0a type, 12 payload, 1a id, 22 queue, 28 retry, 40 timeout (varint 300 = ac 02), 60 retention (86400 = 80 a3 05)
        String expected = "0a09712e64656661756c74" + "12027b7d" + "1a03696431" + "2209712e64656661756c74" + "2803"
                          + "40ac02" + "6080a305";
        assertEquals(expected, HexFormat.of().formatHex(m.encode()));
    }

    @Test
    void roundTripsEveryField() {
        AsynqTaskMessage m = new AsynqTaskMessage("t", new byte[] {0, 1, (byte) 0xff}, "id", "q.s", 5, 2, "oops é",
                30, 1_700_000_000L, "u", 1_700_000_001L, 86400, 1_700_000_002L, "g", Map.of("a", "1", "b", ""));
        AsynqTaskMessage back = AsynqTaskMessage.decode(m.encode());
        assertEquals(m, back);
        assertEquals("oops é", back.errorMsg());
        assertEquals(Map.of("a", "1", "b", ""), back.headers());
        assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, back.payload());
    }

    @Test
    void negativeInt32IsSignExtendedAndReadBack() {
        AsynqTaskMessage m = new AsynqTaskMessage("t", null, "id", "q", -1, 0, null, 0, 0, null, 0, 0, 0, null, null);
        assertEquals(-1, AsynqTaskMessage.decode(m.encode()).retry());
    }

    @Test
    void skipsUnknownFieldsOfEveryWireTypeAndReadsMultiByteTags() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(HexFormat.of().parseHex("1a026964"));       // id = "id"
        out.writeBytes(HexFormat.of().parseHex("a00601"));         // field 100, varint 1 (two-byte tag)
        out.writeBytes(HexFormat.of().parseHex("a9060102030405060708")); // field 101, fixed64
        out.writeBytes(HexFormat.of().parseHex("b2060141"));       // field 102, bytes "A"
        out.writeBytes(HexFormat.of().parseHex("bd0601020304"));   // field 103, fixed32
        out.writeBytes(HexFormat.of().parseHex("2807"));           // retry = 7
        AsynqTaskMessage m = AsynqTaskMessage.decode(out.toByteArray());
        assertEquals("id", m.id());
        assertEquals(7, m.retry());
    }

    @Test
    void refusesBytesThatAreNotATaskMessage() {
        for (String hex : new String[] {"", "0a05616263", "ff", "0b", "0aff", "0a02c328", "08ffffffffffffffffffff01"}) {
            byte[] bytes = HexFormat.of().parseHex(hex);
            MalformedTaskMessageException e = assertThrows(MalformedTaskMessageException.class,
                    () -> AsynqTaskMessage.decode(bytes), hex);
            assertTrue(e.getMessage().contains("TaskMessage"), e.getMessage());
        }
    }
}
