package io.camelsandai.examples.bridges;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;

import io.camelsandai.bridge.templates.SandaiBridgeTemplates;

/**
 * The Sandai operator {@code summarize:v1} backed by a runqy server: each task is enqueued to the runqy queue
 * {@code inference} ({@code POST /queue/add}) and answered with the runqy result ({@code completed} -> success,
 * {@code archived} -> failed {@code RunqyTaskArchived}).
 *
 * <p>YAML:
 * <pre>
 * - templatedRoute:
 *     routeTemplateRef: sandai-to-runqy
 *     routeId: summarize-operator
 *     parameters:
 *       - { name: operatorName, value: summarize }
 *       - { name: operatorVersion, value: v1 }
 *       - { name: runqyUrl, value: "http://runqy:3000" }
 *       - { name: runqyQueue, value: inference }
 *       - { name: apiKey, value: "{{env:RUNQY_API_KEY}}" }
 *       - { name: auth, value: bearer }
 *       - { name: taskTimeout, value: 300s }
 *       - { name: brokerUrl, value: "redis://redis:6379/0" }
 * </pre>
 */
public final class SandaiToRunqyExample {
    private SandaiToRunqyExample() {
    }

    public static String addTo(CamelContext context, String brokerUrl, String runqyUrl, String apiKey) throws Exception {
        context.addRoutes(new SandaiBridgeTemplates());
        return TemplatedRouteBuilder.builder(context, SandaiBridgeTemplates.SANDAI_TO_RUNQY)
                .routeId("summarize-operator")
                .parameter("operatorName", "summarize")
                .parameter("operatorVersion", "v1")
                .parameter("runqyUrl", runqyUrl)
                .parameter("runqyQueue", "inference")
                .parameter("apiKey", apiKey)               // never logged
                .parameter("auth", "bearer")               // or x-api-key
                .parameter("taskTimeout", "300s")          // runqy timeout of each task
                .parameter("concurrency", "4")
                .parameter("brokerUrl", brokerUrl)
                .add();
    }
}
