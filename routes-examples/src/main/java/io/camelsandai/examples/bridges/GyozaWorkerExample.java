package io.camelsandai.examples.bridges;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;

import io.camelsandai.bridge.templates.SandaiBridgeTemplates;

/**
 * This application as a gyoza worker: runs of the definition {@code clip-video} run on the Sandai operator
 * {@code video-clipper:v1} through the route's {@code sandai:} producer (STARTED, PROGRESS when the operator reports
 * some, then COMPLETED with the outputs or FAILED with error_message).
 *
 * <p>YAML:
 * <pre>
 * - templatedRoute:
 *     routeTemplateRef: gyoza-worker
 *     routeId: gyoza
 *     parameters:
 *       - { name: baseUrl, value: "http://gyoza:5555" }
 *       - { name: apiKey, value: "{{env:GYOZA_API_KEY}}" }
 *       - { name: workerId, value: worker-1 }
 *       - { name: concurrency, value: "2" }
 *       - { name: ops, value: "clip-video.operator=video-clipper;clip-video.version=v1;clip-video.timeout=10m" }
 *       - { name: resources, value: '{"cpu_cores": 4, "ram_mb": 8192, "gpus": []}' }
 *       - { name: brokerUrl, value: "redis://redis:6379/0" }
 * </pre>
 */
public final class GyozaWorkerExample {
    private GyozaWorkerExample() {
    }

    public static String addTo(CamelContext context, String brokerUrl, String gyozaUrl, String apiKey) throws Exception {
        context.addRoutes(new SandaiBridgeTemplates());
        return TemplatedRouteBuilder.builder(context, SandaiBridgeTemplates.GYOZA_WORKER)
                .routeId("gyoza")
                .parameter("baseUrl", gyozaUrl)
                .parameter("apiKey", apiKey)                  // sent as X-API-Key, never logged
                .parameter("workerId", "worker-1")
                .parameter("concurrency", "2")
                // op key = definition name; also definition-version, image, input-slots, priority (or opsBean)
                .parameter("ops", "clip-video.operator=video-clipper;clip-video.version=v1;clip-video.timeout=10m")
                .parameter("tags", "cpu")
                // what heartbeats announce; the server matches runs' constraints against it (default: this JVM)
                .parameter("resources", "{\"cpu_cores\": 4, \"ram_mb\": 8192, \"gpus\": []}")
                .parameter("claimInterval", "200ms")
                .parameter("brokerUrl", brokerUrl)
                .add();
    }
}
