package io.camelsandai.codec;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;
import org.msgpack.value.ValueType;

/**
 * msgpack as Python's {@code msgpack.packb(..., use_bin_type=True)} writes it: str as str8/16/32 by exact UTF-8
 * length, bytes as bin, every float as float64, integers in their smallest form, maps in insertion order. Reading
 * accepts any msgpack and refuses extension types and over-deep nesting without building them.
 */
public final class Msgpack {
    private static final int MAX_DEPTH = 64;
    /**
     * msgpack-core allocates its string decoding buffer (8 KiB by default) for every unpacker; task bodies and metas
     * are small, and strings longer than the buffer are still decoded, only in more steps.
     */
    private static final MessagePack.UnpackerConfig UNPACKER_CONFIG = new MessagePack.UnpackerConfig()
            .withStringDecoderBufferSize(512);

    private Msgpack() {
    }

    /** A packer per thread: its buffer is reused, which halves the cost of encoding small task bodies. */
    private static final ThreadLocal<MessageBufferPacker> PACKER = ThreadLocal.withInitial(MessagePack::newDefaultBufferPacker);

    public static byte[] encode(Object value) {
        MessageBufferPacker packer = PACKER.get();
        packer.clear();
        try {
            pack(packer, value);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory msgpack write failed", e);
        } finally {
            packer.clear();
        }
    }

    /**
     * An unpacker per thread for values up to {@value #REUSED_UP_TO} bytes, reset onto each: a new one allocated
     * its input wrappers, string decoder and decoding buffers (~1.5 KB) for every task body. Larger values get a
     * fresh one, so that no thread keeps a large decoding buffer.
     */
    private static final ThreadLocal<Reader> READER = ThreadLocal.withInitial(Reader::new);
    private static final int REUSED_UP_TO = 64 * 1024;
    private static final byte[] NOTHING = new byte[0];

    private static final class Reader {
        final ArrayBufferInput input = new ArrayBufferInput(NOTHING);
        final MessageUnpacker unpacker = UNPACKER_CONFIG.newUnpacker(input);
    }

    /** @throws MalformedMessageException when the bytes are not one complete msgpack value */
    public static Object decode(byte[] bytes) {
        if (bytes == null || bytes.length > REUSED_UP_TO) {
            try (MessageUnpacker unpacker = UNPACKER_CONFIG.newUnpacker(bytes)) {
                return decode(unpacker);
            } catch (MalformedMessageException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw notMsgpack(e);
            }
        }
        Reader reader = READER.get();
        try {
            reader.input.reset(bytes);
            reader.unpacker.reset(reader.input);
            return decode(reader.unpacker);
        } catch (IOException e) {
            throw notMsgpack(e);
        } finally {
            reader.input.reset(NOTHING); // keeps no reference to the message
        }
    }

    private static Object decode(MessageUnpacker unpacker) {
        try {
            Object value = unpack(unpacker, 0);
            if (unpacker.hasNext()) {
                throw new MalformedMessageException("msgpack: trailing bytes after the value");
            }
            return value;
        } catch (MalformedMessageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw notMsgpack(e);
        }
    }

    private static MalformedMessageException notMsgpack(Exception e) {
        return new MalformedMessageException("not valid msgpack: " + e.getClass().getSimpleName(), e);
    }

    private static void pack(MessageBufferPacker p, Object value) throws IOException {
        if (value == null) {
            p.packNil();
        } else if (value instanceof String s) {
            // Header from the exact byte length, as Python does (msgpack-core's own packString may pick a wider one).
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            p.packRawStringHeader(utf8.length);
            p.writePayload(utf8);
        } else if (value instanceof Boolean b) {
            p.packBoolean(b);
        } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            p.packDouble(((Number) value).doubleValue());
        } else if (value instanceof BigInteger big) {
            p.packBigInteger(big);
        } else if (value instanceof Number n) {
            p.packLong(n.longValue());
        } else if (value instanceof byte[] bytes) {
            p.packBinaryHeader(bytes.length);
            p.writePayload(bytes);
        } else if (value instanceof Map<?, ?> map) {
            p.packMapHeader(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                pack(p, e.getKey() instanceof String ? e.getKey() : String.valueOf(e.getKey()));
                pack(p, e.getValue());
            }
        } else if (value instanceof Collection<?> list) {
            p.packArrayHeader(list.size());
            for (Object item : list) {
                pack(p, item);
            }
        } else if (value instanceof Object[] array) {
            pack(p, List.of(array));
        } else {
            pack(p, value.toString());
        }
    }

    private static Object unpack(MessageUnpacker u, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new MalformedMessageException("msgpack: nesting deeper than " + MAX_DEPTH);
        }
        MessageFormat format = u.getNextFormat();
        ValueType type = format.getValueType();
        switch (type) {
            case NIL:
                u.unpackNil();
                return null;
            case BOOLEAN:
                return u.unpackBoolean();
            case INTEGER:
                if (format == MessageFormat.UINT64) {
                    BigInteger big = u.unpackBigInteger();
                    return big.bitLength() < 64 ? (Object) big.longValue() : big;
                }
                return u.unpackLong();
            case FLOAT:
                return u.unpackDouble();
            case STRING:
                return u.unpackString();
            case BINARY: {
                int len = u.unpackBinaryHeader();
                return u.readPayload(len);
            }
            case ARRAY: {
                int size = u.unpackArrayHeader();
                // Never trust a declared size for allocation: a 5-byte header can claim 4 billion elements.
                List<Object> list = new ArrayList<>(Math.min(size, 1024));
                for (int i = 0; i < size; i++) {
                    list.add(unpack(u, depth + 1));
                }
                return list;
            }
            case MAP: {
                int size = u.unpackMapHeader();
                Map<String, Object> map = new LinkedHashMap<>(Math.min(size, 1024) * 2);
                for (int i = 0; i < size; i++) {
                    Object key = unpack(u, depth + 1);
                    map.put(key instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(key),
                            unpack(u, depth + 1));
                }
                return map;
            }
            default:
                throw new MalformedMessageException("msgpack: unsupported value type " + type);
        }
    }
}
