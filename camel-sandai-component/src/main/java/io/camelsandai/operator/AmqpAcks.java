package io.camelsandai.operator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.rabbitmq.client.Channel;

import io.camelsandai.model.BrokerUnavailableException;

/**
 * The acks of one consuming channel, coalesced: when the acks waiting to be sent begin with the oldest open delivery
 * and cover a run of consecutive open deliveries, one {@code basic.ack(multiple=true)} settles the run; every other
 * ack goes alone. A multiple ack never covers a delivery that is not done (that would lose it on a crash): it only
 * covers tags that are all in the batch, checked against the set of open (delivered, unsettled) tags.
 *
 * <p>Why: profiling the worker on RabbitMQ showed one {@code basic.ack} frame (one socket write, one broker wake-up)
 * per task. Confirms arrive in batches ({@code multiple=true}), so the acks they release come in bursts: holding them
 * until the confirm batch is settled ({@link #hold()}/{@link #release()}) sends a burst as one frame when the tasks
 * finished in delivery order. Acks requested outside a hold are sent at once (no timer, no added latency).
 */
final class AmqpAcks {
    private record Request(long tag, long generation, CompletableFuture<Void> done) {
    }

    private static final ThreadLocal<int[]> HOLDS = ThreadLocal.withInitial(() -> new int[1]);

    private final Supplier<Channel> channel;
    private final LongSupplier generation;
    private final ConcurrentSkipListSet<Long> open = new ConcurrentSkipListSet<>();
    private final Queue<Request> pending = new ConcurrentLinkedQueue<>();
    private final ReentrantLock sending = new ReentrantLock();

    AmqpAcks(Supplier<Channel> channel, LongSupplier generation) {
        this.channel = channel;
        this.generation = generation;
    }

    /** A delivery of the current generation arrived (called in delivery order, before it can be acked). */
    void opened(long tag) {
        open.add(tag);
    }

    /** The connection was lost: every open tag is void (RabbitMQ requeued those messages). */
    void voidAll() {
        sending.lock();
        try {
            open.clear();
        } finally {
            sending.unlock();
        }
    }

    /** Queues the ack of {@code tag}; sent now unless this thread holds acks for a confirm batch. */
    CompletableFuture<Void> ack(long tag, long gen) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.add(new Request(tag, gen, done));
        if (HOLDS.get()[0] == 0) {
            drain();
        }
        return done;
    }

    /** Requeues {@code tag} ({@code basic.nack}); serialized with the acks so a multiple ack never covers it. */
    void nack(long tag) throws IOException {
        sending.lock();
        try {
            open.remove(tag);
            channel.get().basicNack(tag, false, true);
        } finally {
            sending.unlock();
        }
    }

    /** This thread is about to release a batch of acks (settling a confirm batch). */
    static void hold() {
        HOLDS.get()[0]++;
    }

    /** End of the batch on this thread: sends what was held. */
    void release() {
        if (--HOLDS.get()[0] == 0) {
            drain();
        }
    }

    /**
     * Whoever gets the lock sends everything queued, also what others queued meanwhile; the futures complete after
     * the lock is released (their continuations settle tasks and may ack or nack again).
     */
    private void drain() {
        while (!pending.isEmpty() && sending.tryLock()) {
            List<Runnable> completions = new ArrayList<>();
            try {
                List<Request> batch = new ArrayList<>();
                Request r;
                while ((r = pending.poll()) != null) {
                    batch.add(r);
                }
                send(batch, completions);
            } finally {
                sending.unlock();
            }
            completions.forEach(Runnable::run);
        }
    }

    private void send(List<Request> batch, List<Runnable> completions) {
        long current = generation.getAsLong();
        List<Request> live = new ArrayList<>(batch.size());
        for (Request r : batch) {
            if (r.generation() == current) {
                live.add(r);
            } else {
                completions.add(() -> r.done().complete(null)); // void tag: RabbitMQ redelivers that task
            }
        }
        live.sort(Comparator.comparingLong(Request::tag));
        int i = 0;
        // the leading run: acks of consecutive open tags starting at the oldest open one
        Long next = open.isEmpty() ? null : open.first();
        while (i < live.size() && next != null && live.get(i).tag() == next) {
            next = open.higher(next);
            i++;
        }
        if (i > 0) {
            settle(live.subList(0, i), live.get(i - 1).tag(), i > 1, completions);
        }
        for (Request r : live.subList(i, live.size())) {
            settle(List.of(r), r.tag(), false, completions);
        }
    }

    private void settle(List<Request> requests, long tag, boolean multiple, List<Runnable> completions) {
        try {
            channel.get().basicAck(tag, multiple);
            requests.forEach(r -> {
                open.remove(r.tag());
                completions.add(() -> r.done().complete(null));
            });
        } catch (IOException | RuntimeException e) {
            BrokerUnavailableException failure = new BrokerUnavailableException("cannot ack on RabbitMQ: "
                                                                                + e.getMessage(), e);
            requests.forEach(r -> completions.add(() -> r.done().completeExceptionally(failure)));
        }
    }
}
