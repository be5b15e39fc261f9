/**
 * runqy bridges, usable without Camel (each piece: a settings object, start/stop):
 * <ul>
 * <li>{@link io.camelsandai.bridge.runqy.RunqyHandlerPool}: runqy-python handler processes (stdio protocol of
 *     runqy-worker) as a Sandai {@link io.camelsandai.operator.OperatorHandler}. Payload sent to the handler:
 *     {@code {"input_artifacts": [{uri, slot, ..., "path" when staged locally}], "options", "meta"}} plus
 *     {@code "work_dir"} when a work root is configured; the handler's {@code result} object becomes the
 *     {@code results}, and its member {@code output_artifacts: [{"path", "slot", "content_type"}]} (files under
 *     {@code work_dir}) becomes output artifacts.</li>
 * <li>{@link io.camelsandai.bridge.runqy.RunqyToSandaiWorker}: a runqy worker on the asynq Redis layout that runs
 *     each task through {@link io.camelsandai.client.OperatorClient#callAsync}; the stored {@code result} is the
 *     operator result {@code {"status","artifacts","results"}} as JSON. Its Redis is a URL, or comes from a runqy
 *     server through runqy-worker's handshake ({@link io.camelsandai.bridge.runqy.RunqyWorkerRegistration},
 *     {@code POST /worker/register}), whose sub-queue priorities weight the take order.</li>
 * <li>{@link io.camelsandai.bridge.runqy.RunqyClient} (server HTTP API: add, add-batch, status) and
 *     {@link io.camelsandai.bridge.runqy.RunqyBackedHandler} (a Sandai operator whose work is a runqy task).</li>
 * </ul>
 */
package io.camelsandai.bridge.runqy;
