package io.camelsandai.operator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One Lua script of the runtime, run with EVALSHA and loaded on demand: the first NOSCRIPT (new server, restart,
 * SCRIPT FLUSH) loads it and retries once.
 */
final class LuaScript {
    static final LuaScript TAKE = load("take.lua");
    static final LuaScript COMPLETE = load("complete.lua");
    static final LuaScript REQUEUE = load("requeue.lua");
    static final LuaScript DEAD_LETTER = load("dead_letter.lua");
    static final LuaScript RELEASE_MUTEX = load("release_mutex.lua");

    private final String name;
    private final byte[] source;
    private final byte[] sha1;

    private LuaScript(String name, byte[] source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1Hex(source).getBytes(StandardCharsets.US_ASCII);
    }

    private static LuaScript load(String resource) {
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing Lua resource " + resource);
            }
            return new LuaScript(resource, in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Lua resource " + resource, e);
        }
    }

    String name() {
        return name;
    }

    byte[] sha1() {
        return sha1;
    }

    void loadInto(Jedis jedis) {
        jedis.scriptLoad(source);
    }

    Object eval(Jedis jedis, List<byte[]> keys, List<byte[]> args) {
        try {
            return jedis.evalsha(sha1, keys, args);
        } catch (JedisNoScriptException e) {
            loadInto(jedis);
            return jedis.evalsha(sha1, keys, args);
        }
    }

    static String sha1Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
