package io.camelsandai.bridge.runqy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The asynq {@code TaskMessage} (proto3, package {@code asynq}) stored under {@code msg} in a task hash, with a
 * hand-written encoder/decoder for exactly its fields 1-15. Encoding is canonical proto3: fields in number order,
 * zero values omitted. Decoding accepts any field order, multi-byte tags, and skips unknown fields.
 */
public record AsynqTaskMessage(String type, byte[] payload, String id, String queue, int retry, int retried,
        String errorMsg, long timeout, long deadline, String uniqueKey, long lastFailedAt, long retention,
        long completedAt, String groupKey, Map<String, String> headers) {

    public AsynqTaskMessage {
        type = nz(type);
        payload = payload == null ? new byte[0] : payload;
        id = nz(id);
        queue = nz(queue);
        errorMsg = nz(errorMsg);
        uniqueKey = nz(uniqueKey);
        groupKey = nz(groupKey);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** A message as the runqy server enqueues it: type = queue, MaxRetry, Timeout and Retention. */
    public static AsynqTaskMessage of(String id, String queue, byte[] payload, int maxRetry, long timeoutSeconds,
                                      long retentionSeconds) {
        return new AsynqTaskMessage(queue, payload, id, queue, maxRetry, 0, "", timeoutSeconds, 0, "", 0,
                retentionSeconds, 0, "", Map.of());
    }

    public AsynqTaskMessage withFailure(int newRetried, String error, long failedAtSeconds) {
        return new AsynqTaskMessage(type, payload, id, queue, retry, newRetried, error, timeout, deadline, uniqueKey,
                failedAtSeconds, retention, completedAt, groupKey, headers);
    }

    public AsynqTaskMessage withCompletedAt(long seconds) {
        return new AsynqTaskMessage(type, payload, id, queue, retry, retried, errorMsg, timeout, deadline, uniqueKey,
                lastFailedAt, retention, seconds, groupKey, headers);
    }

    // ---- encoding ----------------------------------------------------------------------------------------------

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + payload.length);
        string(out, 1, type);
        bytes(out, 2, payload);
        string(out, 3, id);
        string(out, 4, queue);
        varintField(out, 5, retry);
        varintField(out, 6, retried);
        string(out, 7, errorMsg);
        varintField(out, 8, timeout);
        varintField(out, 9, deadline);
        string(out, 10, uniqueKey);
        varintField(out, 11, lastFailedAt);
        varintField(out, 12, retention);
        varintField(out, 13, completedAt);
        string(out, 14, groupKey);
        // Map entries: a nested message {1: key, 2: value}; sorted so that the bytes are deterministic.
        headers.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            string(entry, 1, e.getKey());
            string(entry, 2, e.getValue());
            bytes(out, 15, entry.toByteArray());
        });
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, int field, String value) {
        if (!value.isEmpty()) {
            bytes(out, field, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void bytes(ByteArrayOutputStream out, int field, byte[] value) {
        if (value.length > 0 || field == 15) {
            varint(out, ((long) field << 3) | 2);
            varint(out, value.length);
            out.write(value, 0, value.length);
        }
    }

    private static void varintField(ByteArrayOutputStream out, int field, long value) {
        if (value != 0) {
            varint(out, (long) field << 3);
            varint(out, value); // negative int32/int64 are sign-extended to 10 bytes, as proto3 does
        }
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    // ---- decoding ----------------------------------------------------------------------------------------------

    /** @throws MalformedTaskMessageException naming the offset and what is wrong */
    public static AsynqTaskMessage decode(byte[] data) {
        if (data == null || data.length == 0) {
            throw new MalformedTaskMessageException("empty asynq TaskMessage");
        }
        Reader r = new Reader(data);
        String type = "", id = "", queue = "", errorMsg = "", uniqueKey = "", groupKey = "";
        byte[] payload = new byte[0];
        long retry = 0, retried = 0, timeout = 0, deadline = 0, lastFailedAt = 0, retention = 0, completedAt = 0;
        Map<String, String> headers = new LinkedHashMap<>();
        while (r.pos < data.length) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (field == 0) {
                throw r.error("field number 0");
            }
            boolean known = field <= 15;
            int expectedWire = switch (field) {
                case 1, 2, 3, 4, 7, 10, 14, 15 -> 2;
                default -> 0;
            };
            if (!known || wire != expectedWire) {
                if (known) {
                    throw r.error("field " + field + " has wire type " + wire + ", expected " + expectedWire);
                }
                r.skip(wire);
                continue;
            }
            switch (field) {
                case 1 -> type = r.string();
                case 2 -> payload = r.bytes();
                case 3 -> id = r.string();
                case 4 -> queue = r.string();
                case 5 -> retry = r.varint();
                case 6 -> retried = r.varint();
                case 7 -> errorMsg = r.string();
                case 8 -> timeout = r.varint();
                case 9 -> deadline = r.varint();
                case 10 -> uniqueKey = r.string();
                case 11 -> lastFailedAt = r.varint();
                case 12 -> retention = r.varint();
                case 13 -> completedAt = r.varint();
                case 14 -> groupKey = r.string();
                default -> readHeader(new Reader(r.bytes()), headers);
            }
        }
        return new AsynqTaskMessage(type, payload, id, queue, (int) retry, (int) retried, errorMsg, timeout, deadline,
                uniqueKey, lastFailedAt, retention, completedAt, groupKey, headers);
    }

    private static void readHeader(Reader r, Map<String, String> headers) {
        String key = "", value = "";
        while (r.pos < r.data.length) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (field == 1 && wire == 2) {
                key = r.string();
            } else if (field == 2 && wire == 2) {
                value = r.string();
            } else {
                r.skip(wire);
            }
        }
        headers.put(key, value);
    }

    private static final class Reader {
        final byte[] data;
        int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        MalformedTaskMessageException error(String what) {
            return new MalformedTaskMessageException("not an asynq TaskMessage: " + what + " at byte " + pos + " of "
                                                     + data.length);
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= data.length) {
                    throw error("truncated varint");
                }
                byte b = data[pos++];
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw error("varint longer than 10 bytes");
        }

        byte[] bytes() {
            long len = varint();
            if (len < 0 || len > data.length - pos) {
                throw error("length " + len + " runs past the end");
            }
            byte[] out = Arrays.copyOfRange(data, pos, pos + (int) len);
            pos += (int) len;
            return out;
        }

        String string() {
            byte[] b = bytes();
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw error("string is not UTF-8");
            }
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> bytes();
                case 5 -> advance(4);
                default -> throw error("unsupported wire type " + wire);
            }
        }

        void advance(int n) {
            if (n > data.length - pos) {
                throw error("fixed field runs past the end");
            }
            pos += n;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AsynqTaskMessage m && Arrays.equals(encode(), m.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        // The payload may carry user data: only its size is shown.
        return "AsynqTaskMessage[id=" + id + " queue=" + queue + " type=" + type + " payload=" + payload.length
               + "B retry=" + retry + " retried=" + retried + "]";
    }

    static String requireId(String id) {
        return Objects.requireNonNull(id, "id");
    }
}
