/**
 * Shared test support (published in the component's test-jar): a private real Redis per test class
 * and the stock Python Celery peer.
 *
 * <pre>{@code
 * class MyInteropTest {
 *     @RegisterExtension static final RedisServerExtension redis = RedisServerExtension.create();
 *     @RegisterExtension static final PythonCelery python = PythonCelery.create();   // after redis
 *
 *     @Test
 *     void javaProducerToPythonWorker() {
 *         try (CeleryWorker worker = python.startWorker(CeleryWorkerOptions.builder().redis(redis).build())) {
 *             // send with the sandai: producer to redis.url(), queue "normal.video-clipper.v1" ...
 *         }
 *     }
 *
 *     @Test
 *     void pythonClientToJavaConsumer() {
 *         SendTaskResult r = python.sendTask(SendTask.to(redis, "high.video-clipper.v1")
 *                 .serializer("json").kwargs(Map.of("options", Map.of())));
 *         assertEquals("success", r.line(0).at("/result/status").asText());
 *     }
 * }
 * }</pre>
 *
 * <ul>
 * <li>{@link io.camelsandai.testsupport.RedisServerExtension}: SANDAI_TEST_REDIS_URL, else Testcontainers
 *     redis:7, else redis-server on PATH, else embedded-redis; stop/start on the same port; password,
 *     ACL user and TLS (generated CA) with the binary.</li>
 * <li>{@link io.camelsandai.testsupport.PythonCelery}: /usr/bin/python3 running
 *     {@code src/test/resources/python/sandai_test_worker.py} (a stock Celery worker acting as a Sandai
 *     operator) and {@code send_task.py} (a stock Celery client); logs in {@code target/python-logs/}.</li>
 * <li>{@link io.camelsandai.testsupport.ManagedProcess}: child processes with log files, clean stop or
 *     kill -9 of the whole tree, never outliving the JVM.</li>
 * </ul>
 * No fixed sleeps anywhere: readiness is polled with Awaitility (PING, the worker's ready file).
 */
package io.camelsandai.testsupport;
