/**
 * An Avtomatika (RXON 1.0b14) worker backed by Sandai operators.
 *
 * <pre>{@code
 * AvtomatikaConfig config = AvtomatikaConfig.builder()
 *         .fromEnvironment(System::getenv)            // ORCHESTRATOR_URL, ORCHESTRATORS_CONFIG, WORKER_ID, WORKER_TOKEN, ...
 *         .skillsFromProperties(props, "skills")      // skills.<name>.operator / version / priority / timeout / limit-group
 *         .maxConcurrentTasks(4).taskTypeLimit("gpu", 1)
 *         .build();
 * AvtomatikaWorker worker = new AvtomatikaWorker(config, OperatorSettings.fromEnvironment());
 * worker.start();
 * ...
 * StopReport report = worker.stop();
 * }</pre>
 *
 * Every call carries {@code X-Worker-Token}, {@code X-Worker-ID} and {@code X-RXON-Version}; register, heartbeat,
 * result and event bodies carry an integer {@code timestamp} and {@code security.signature} (HMAC-SHA256 over the
 * canonical JSON, keyed with the worker's own token), re-signed on every try. Outcomes: success gives
 * {@code data = {artifacts, results}}; a failed operator gives {@code TRANSIENT_ERROR} or {@code PERMANENT_ERROR} by
 * its retryable flag; bad input {@code INVALID_INPUT_ERROR}; deadline or client timeout {@code TIMEOUT_ERROR};
 * unknown skill {@code PERMANENT_ERROR}; a cancel (heartbeat {@code cancel_task_ids} or WebSocket
 * {@code cancel_task}) sets the Sandai cancel key and reports {@code status: cancelled}.
 *
 * <p>S3 payload convention (optional, {@code AvtomatikaConfig.Builder.artifactSettings(...)} or
 * {@code artifactStores(...)}): {@code s3://} inputs with a {@code params_metadata} size/ETag are checked by an S3
 * HEAD before the call (mismatch or missing object: {@code INTEGRITY_MISMATCH_ERROR}, operator not called), and
 * a success gets {@code data_metadata[path] = {uri, size, etag}} for the operator's {@code s3://} outputs. The
 * operator stages its inputs and uploads its outputs itself; see {@code S3PayloadConvention}.
 *
 * <p>The signature is computed over the body as the orchestrator's orjson re-serialises it (lowercase hex in
 * control-character escapes, shortest float digits in orjson's layout); an access token refused with 403
 * "Unauthorized" (what the orchestrator answers for an expired STS token) is renewed once; {@code require_full_sync}
 * leads to a new registration (a heartbeat cannot restore skills whose hash is unchanged); heartbeats are spaced to
 * stay within the orchestrator's rate limit. mTLS: {@link io.camelsandai.bridge.avtomatika.OrchestratorTls}.
 */
package io.camelsandai.bridge.avtomatika;
