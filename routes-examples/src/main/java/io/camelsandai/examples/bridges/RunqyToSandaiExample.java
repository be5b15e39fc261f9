package io.camelsandai.examples.bridges;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;

import io.camelsandai.bridge.templates.SandaiBridgeTemplates;

/**
 * This application as a runqy worker: tasks of the runqy queue {@code inference} (asynq layout on the runqy Redis)
 * run on the Sandai operator {@code transcribe:v1} through the route's {@code sandai:} producer; success ends
 * {@code completed} with the operator result, failures retry with runqy's backoff then {@code archived}.
 *
 * <p>YAML:
 * <pre>
 * - templatedRoute:
 *     routeTemplateRef: runqy-to-sandai
 *     routeId: runqy-inference
 *     parameters:
 *       - { name: runqyRedisUrl, value: "redis://runqy-redis:6379/0" }
 *       - { name: queues, value: inference }
 *       - { name: operatorName, value: transcribe }
 *       - { name: operatorVersion, value: v1 }
 *       - { name: priority, value: normal }
 *       - { name: concurrency, value: "4" }
 *       - { name: pendingSinceUnit, value: nanoseconds }
 *       - { name: brokerUrl, value: "redis://sandai-redis:6379/0" }
 * </pre>
 */
public final class RunqyToSandaiExample {
    private RunqyToSandaiExample() {
    }

    public static String addTo(CamelContext context, String runqyRedisUrl, String brokerUrl) throws Exception {
        context.addRoutes(new SandaiBridgeTemplates());
        return TemplatedRouteBuilder.builder(context, SandaiBridgeTemplates.RUNQY_TO_SANDAI)
                .routeId("runqy-inference")
                .parameter("runqyRedisUrl", runqyRedisUrl)
                .parameter("queues", "inference")          // comma separated; inference = inference.default
                .parameter("operatorName", "transcribe")
                .parameter("operatorVersion", "v1")
                .parameter("priority", "normal")           // Sandai queue priority
                .parameter("concurrency", "4")             // runqy tasks in flight at once
                .parameter("pendingSinceUnit", "nanoseconds") // asynq writes ns; runqy-worker writes seconds
                .parameter("pollInterval", "200ms")
                .parameter("brokerUrl", brokerUrl)
                .add();
    }
}
