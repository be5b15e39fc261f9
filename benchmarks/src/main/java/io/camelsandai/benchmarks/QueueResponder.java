package io.camelsandai.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.KombuKeys;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.codec.TaskEnvelope;
import io.camelsandai.model.OperatorResult;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.util.KeyValue;

/**
 * A fixed-speed stand-in operator for client benchmarks: {@code concurrency} slots, each takes a task (BRPOP on the
 * operator's queues, as a Celery worker does), holds it for {@code delayMillis}, and answers a success result with
 * SETEX + PUBLISH. It honours the queue protocol so the clients see real Celery traffic, while the operator's own
 * speed is not what is measured.
 */
final class QueueResponder implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private final redis.clients.jedis.JedisPool answers;
    private volatile boolean running = true;

    QueueResponder(BenchRedis redis, String operator, String version, int concurrency, long delayMillis) {
        List<String> keys = new ArrayList<>();
        for (String p : List.of("high", "normal", "low", "very_low")) {
            keys.addAll(KombuKeys.pollOrder(p + "." + operator + "." + version));
        }
        String[] keyArray = keys.toArray(String[]::new);
        org.apache.commons.pool2.impl.GenericObjectPoolConfig<Jedis> cfg = new org.apache.commons.pool2.impl.GenericObjectPoolConfig<>();
        cfg.setMaxTotal(16);
        this.answers = new redis.clients.jedis.JedisPool(cfg, java.net.URI.create(redis.url()));
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(concurrency);
        for (int i = 0; i < Math.min(concurrency, 8); i++) {
            Thread t = new Thread(() -> {
                try (Jedis take = redis.jedis()) {
                    while (running) {
                        slots.acquireUninterruptibly();
                        KeyValue<String, String> popped = take.brpop(1.0, keyArray);
                        if (popped == null) {
                            slots.release();
                            continue;
                        }
                        TaskEnvelope envelope = TaskEnvelope.parse(popped.getValue());
                        timer.schedule(() -> {
                            try {
                                reply(answers, envelope);
                            } finally {
                                slots.release();
                            }
                        }, delayMillis, TimeUnit.MILLISECONDS);
                    }
                } catch (RuntimeException e) {
                    if (running) {
                        throw e;
                    }
                }
            }, "responder-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    private static void reply(redis.clients.jedis.JedisPool pool, TaskEnvelope envelope) {
        Object result = OperatorResult.success(List.of(), Map.of("ok", true)).toMap();
        if ("sandai.operator.desc".equals(envelope.taskName())) {
            result = Map.of("status", "success", "name", "bench", "version", "v1");
        }
        ResultMeta meta = ResultMeta.of(envelope.taskId(), CeleryState.SUCCESS, result, null);
        byte[] key = ("celery-task-meta-" + envelope.taskId()).getBytes(StandardCharsets.UTF_8);
        byte[] value = meta.encode(ContentType.JSON);
        try (Jedis j = pool.getResource()) {
            Transaction tx = j.multi();
            tx.setex(key, 3600, value);
            tx.publish(key, value);
            tx.exec();
        }
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(t -> {
            try {
                t.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        timer.shutdownNow();
        answers.close();
    }
}
