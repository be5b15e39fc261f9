package io.camelsandai.bridge.runqy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/** A Lua script run by EVALSHA, falling back to EVAL when the server has not cached it yet. */
final class LuaScript {
    private final byte[] source;
    private final byte[] sha1;

    LuaScript(String source) {
        this.source = source.getBytes(StandardCharsets.UTF_8);
        try {
            this.sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(this.source))
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Object run(Jedis jedis, List<?> keys, List<?> args) {
        List<byte[]> k = bytes(keys);
        List<byte[]> a = bytes(args);
        try {
            return jedis.evalsha(sha1, k, a);
        } catch (JedisNoScriptException e) {
            return jedis.eval(source, k, a);
        }
    }

    private static List<byte[]> bytes(List<?> values) {
        List<byte[]> out = new ArrayList<>(values.size());
        for (Object v : values) {
            out.add(v instanceof byte[] b ? b : String.valueOf(v).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }
}
