/**
 * A gyoza worker backed by Sandai operators.
 *
 * <pre>{@code
 * GyozaConfig config = GyozaConfig.builder().baseUrl("http://gyoza:5555").apiKey(key).workerId("sandai-1")
 *         .opsFromProperties(props, "ops")   // ops.<definition>.operator / version / timeout / image / definition-version
 *         .maxConcurrentTasks(4).build();
 * GyozaWorker worker = new GyozaWorker(config, OperatorSettings.fromEnvironment());
 * worker.start();
 * }</pre>
 *
 * Per claimed op: {@code STARTED}, {@code PROGRESS} (0-100, relayed from the operator), then {@code COMPLETED} with
 * {@code payload.outputs = {artifacts, results}} or {@code FAILED} with {@code payload.error_message} (also
 * {@code CANCELLED} when the operator reports a cancellation). Events of one run are posted in order and retried
 * while the server is unreachable or answers 5xx/429; a 400/404/409/422 refusal is final. Each heartbeat lists the
 * running ops and reads their runs' state: a run the server cancelled gets its Sandai cancel key set (an operator
 * task not yet computing ends cancelled without computing; one already computing runs to its end) and no more
 * events. A claim answered 404 (the server forgot the worker) is preceded by a new heartbeat.
 */
package io.camelsandai.bridge.gyoza;
