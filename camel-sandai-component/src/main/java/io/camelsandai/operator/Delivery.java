package io.camelsandai.operator;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import io.camelsandai.codec.TaskEnvelope;
import io.camelsandai.model.Priority;
import io.camelsandai.util.Backoff;

/**
 * One message taken from a queue and recorded as in flight, from the take until it is acked, dead-lettered or
 * returned to its queue.
 *
 * @param tag        the delivery tag it is recorded under (kombu's, or a synthetic one for malformed messages), as text
 * @param tagKey     the same tag exactly as Redis holds it (a mutated message may carry bytes that are not UTF-8)
 * @param inUnacked  true when recorded in kombu's {@code unacked}; false when in the runtime's malformed hash
 * @param queue      the queue (routing key) it came from
 * @param priority   the priority of that queue
 * @param raw        the message exactly as taken (on AMQP: the body)
 * @param decoded    the message already read by its transport (AMQP: headers and properties come as frames, see
 *                   {@link AmqpEnvelopes}); null when {@code raw} is a kombu envelope to parse (Redis)
 * @param receivedAt epoch seconds of the take
 * @param oversize   set when take.lua refused the message for its size and already moved it to the dead-letter list
 *                   (nothing is in flight then, and {@code raw} is empty: the body never left Redis); else null
 */
record Delivery(String tag, byte[] tagKey, boolean inUnacked, String queue, Priority priority, byte[] raw,
        TaskEnvelope decoded, double receivedAt, State state, Oversize oversize) {

    /**
     * What the JVM learns of a message take.lua refused for its size: enough to answer its caller.
     *
     * @param bytes  the message's length in Redis
     * @param taskId the task id found by take.lua's scan (as {@code codec.EnvelopeScan} reads it), or null
     */
    record Oversize(long bytes, String taskId) {
    }

    /** Mutable bits shared by the threads that handle one delivery. */
    static final class State {
        final AtomicBoolean settled = new AtomicBoolean();
        volatile boolean returnedToQueue;
        volatile boolean acked;
        volatile String taskId;
        /** The dispatch window slot was given back (AMQP: when the handler finished, before the result is confirmed). */
        final AtomicBoolean windowFreed = new AtomicBoolean();
        /** Back-off of retries after Redis failed before the task ran (see TaskProcessor#retryLater). */
        final Backoff.Attempts retry = Backoff.REDIS_RECONNECT.attempts();
    }

    static Delivery taken(byte[] tagKey, boolean inUnacked, String queue, Priority priority, byte[] raw) {
        return new Delivery(new String(tagKey, StandardCharsets.UTF_8), tagKey, inUnacked, queue, priority, raw, null,
                System.currentTimeMillis() / 1000.0, new State(), null);
    }

    /** A message its transport has read already ({@code body} = its serialized body); always recorded as unacked. */
    static Delivery decoded(String tag, String queue, Priority priority, byte[] body, TaskEnvelope envelope) {
        return new Delivery(tag, tag.getBytes(StandardCharsets.UTF_8), true, queue, priority, body, envelope,
                System.currentTimeMillis() / 1000.0, new State(), null);
    }

    /** A message take.lua moved to the dead-letter list for its size ({@code tagKey} is its synthetic tag). */
    static Delivery deadLetteredOversize(byte[] tagKey, String queue, Priority priority, Oversize oversize) {
        return new Delivery(new String(tagKey, StandardCharsets.UTF_8), tagKey, false, queue, priority, new byte[0],
                null, System.currentTimeMillis() / 1000.0, new State(), oversize);
    }
}
