/**
 * Bridges that make this process a worker of an external orchestrator and run each of its tasks on a Sandai
 * operator: an external task source, a Sandai call, a report back. No Camel here: the route templates wrap these
 * plain Java workers.
 *
 * <ul>
 *   <li>{@link io.camelsandai.bridge.BridgeWorker} runs one {@link io.camelsandai.bridge.BridgeProtocol}: fetches only
 *       while a slot is free (global limit and per-type limits, a slot held from fetch until the final report was
 *       tried once), heartbeats on an interval and shortly after load changes, and stops gracefully
 *       ({@link io.camelsandai.bridge.BridgeWorker#stop(java.time.Duration)}).</li>
 *   <li>{@link io.camelsandai.bridge.ReportOutbox} never drops a report because the peer is away: it keeps it and
 *       retries with backoff (or the peer's Retry-After), in order per task; progress is best effort.</li>
 *   <li>{@link io.camelsandai.bridge.OperatorInvoker} is the port to Sandai;
 *       {@link io.camelsandai.bridge.ClientOperatorInvoker} is its default over
 *       {@link io.camelsandai.client.OperatorClient} (one client per operator name and version), mapping the typed
 *       exceptions to {@link io.camelsandai.bridge.CallOutcome}s.</li>
 *   <li>{@link io.camelsandai.bridge.OperatorBinding#fromProperties} reads task-kind to operator mappings from
 *       properties or a flattened YAML map.</li>
 * </ul>
 *
 * <p>Protocols: {@link io.camelsandai.bridge.avtomatika.AvtomatikaWorker} (RXON) and
 * {@link io.camelsandai.bridge.gyoza.GyozaWorker}.
 */
package io.camelsandai.bridge;
