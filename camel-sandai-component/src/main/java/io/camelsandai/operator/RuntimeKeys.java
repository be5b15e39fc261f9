package io.camelsandai.operator;

import java.util.ArrayList;
import java.util.List;

import io.camelsandai.codec.KombuKeys;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.model.Priority;
import io.camelsandai.transport.LuaScript;

/**
 * The Redis keys one runtime works with: the lists it drains in strict order (for each priority, kombu's plain key
 * then its priority sub-lists), kombu's unacked bookkeeping, and the dead-letter list with the hash holding
 * malformed messages between take and dead-letter.
 */
final class RuntimeKeys {
    final List<String> listKeys = new ArrayList<>();
    /** The queue (routing key) of each list, by index. */
    final List<String> listQueues = new ArrayList<>();
    final List<Priority> listPriorities = new ArrayList<>();
    final List<String> queues = new ArrayList<>();
    final String deadLetter;
    final String malformedHash;

    RuntimeKeys(OperatorRuntimeSettings s) {
        for (Priority p : s.priorities()) {
            String queue = p.queueFor(s.operatorName(), s.operatorVersion());
            queues.add(queue);
            for (String key : KombuKeys.pollOrder(queue)) {
                listKeys.add(key);
                listQueues.add(queue);
                listPriorities.add(p);
            }
        }
        this.deadLetter = s.deadLetterQueue();
        this.malformedHash = s.deadLetterQueue() + ".unacked";
    }

    /** KEYS of take.lua. */
    List<byte[]> takeKeys() {
        List<byte[]> keys = new ArrayList<>();
        keys.add(LuaScript.bytes(KombuKeys.UNACKED));
        keys.add(LuaScript.bytes(KombuKeys.UNACKED_INDEX));
        keys.add(LuaScript.bytes(malformedHash));
        keys.add(LuaScript.bytes(deadLetter)); // oversize messages are dead-lettered by the take itself
        listKeys.forEach(k -> keys.add(LuaScript.bytes(k)));
        return keys;
    }

    /** The constant tail of take.lua's ARGV: each list's queue as JSON text. */
    List<byte[]> takeQueueArgs() {
        List<byte[]> args = new ArrayList<>();
        listQueues.forEach(q -> args.add(PythonJson.encode(q)));
        return args;
    }
}
