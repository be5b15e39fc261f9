package io.camelsandai.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.camelsandai.model.SandaiException;
import io.camelsandai.util.DaemonThreads;

/**
 * Coalesces concurrent pushes: callers enqueue, one writer thread drains whatever is waiting (up to
 * {@link #MAX_BATCH}) and writes it in one pipeline. With one caller this costs one round trip per message, as
 * before; with many, the round trips are shared. Each push keeps its own future, so errors stay per task.
 */
final class PushBatcher implements AutoCloseable {
    static final int MAX_BATCH = 512;

    record Pending(Broker.Push push, Durability durability, CompletableFuture<Void> future) {
    }

    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Consumer<List<Pending>> writer;
    private final Thread thread;
    private volatile boolean closed;

    PushBatcher(Consumer<List<Pending>> writer, String threadName) {
        this.writer = writer;
        this.thread = DaemonThreads.start(threadName, this::run);
    }

    CompletableFuture<Void> submit(Broker.Push push, Durability durability) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new SandaiException("broker transport is closed"));
            return future;
        }
        queue.add(new Pending(push, durability, future));
        return future;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                writer.accept(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // writer already failed the batch's futures; never let the writer thread die
                batch.forEach(p -> p.future().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.future().completeExceptionally(new SandaiException("broker transport closed before the task was sent"));
        }
    }

    /** Sends what is already queued, then stops. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
