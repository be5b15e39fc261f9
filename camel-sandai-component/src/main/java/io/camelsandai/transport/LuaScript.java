package io.camelsandai.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One Lua script, run with EVALSHA and loaded on demand: the first NOSCRIPT (new server, restart, SCRIPT FLUSH)
 * loads it and retries once.
 */
public final class LuaScript {
    private final String name;
    private final byte[] source;
    private final byte[] sha1;

    private LuaScript(String name, byte[] source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1Hex(source).getBytes(StandardCharsets.US_ASCII);
    }

    /** A script given as text. */
    public static LuaScript of(String name, String source) {
        return new LuaScript(name, bytes(source));
    }

    /** A script kept as a class path resource next to {@code anchor}. */
    public static LuaScript fromResource(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing Lua resource " + resource);
            }
            return new LuaScript(resource, in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Lua resource " + resource, e);
        }
    }

    public String name() {
        return name;
    }

    /** The script's SHA-1 in hex, as EVALSHA takes it. */
    public byte[] sha1() {
        return sha1;
    }

    public void loadInto(Jedis jedis) {
        jedis.scriptLoad(source);
    }

    public Object eval(Jedis jedis, List<byte[]> keys, List<byte[]> args) {
        try {
            return jedis.evalsha(sha1, keys, args);
        } catch (JedisNoScriptException e) {
            loadInto(jedis);
            return jedis.evalsha(sha1, keys, args);
        }
    }

    /** {@link #eval} with keys and arguments given as text, numbers or bytes. */
    public Object run(Jedis jedis, List<?> keys, List<?> args) {
        return eval(jedis, toBytes(keys), toBytes(args));
    }

    public static String sha1Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> toBytes(List<?> values) {
        List<byte[]> out = new ArrayList<>(values.size());
        for (Object v : values) {
            out.add(v instanceof byte[] b ? b : bytes(String.valueOf(v)));
        }
        return out;
    }

    @Override
    public String toString() {
        return "LuaScript[" + name + "]";
    }
}
