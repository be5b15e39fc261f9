package io.camelsandai.examples.bridges;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;

import io.camelsandai.bridge.templates.SandaiBridgeTemplates;

/**
 * This application as an Avtomatika worker: skill {@code transcribe} runs on the Sandai operator
 * {@code whisper:v1}, through the route's {@code sandai:} producer. Unset parameters fall back to the SDK's
 * environment variables ({@code ORCHESTRATOR_URL}, {@code WORKER_ID}, {@code WORKER_TOKEN}, ...).
 *
 * <p>YAML:
 * <pre>
 * - templatedRoute:
 *     routeTemplateRef: avtomatika-worker
 *     routeId: avtomatika
 *     parameters:
 *       - { name: orchestratorUrl, value: "http://orchestrator:8080" }
 *       - { name: workerId, value: gpu-worker-1 }
 *       - { name: workerToken, value: "{{env:WORKER_TOKEN}}" }
 *       - { name: workerType, value: gpu }
 *       - { name: maxConcurrentTasks, value: "4" }
 *       - name: skills
 *         value: |
 *           transcribe.operator=whisper
 *           transcribe.version=v1
 *           transcribe.timeout=5m
 *       - { name: brokerUrl, value: "redis://redis:6379/0" }
 * </pre>
 */
public final class AvtomatikaWorkerExample {
    private AvtomatikaWorkerExample() {
    }

    public static String addTo(CamelContext context, String brokerUrl, String orchestratorUrl, String workerToken)
            throws Exception {
        context.addRoutes(new SandaiBridgeTemplates());
        return TemplatedRouteBuilder.builder(context, SandaiBridgeTemplates.AVTOMATIKA_WORKER)
                .routeId("avtomatika")
                .parameter("orchestratorUrl", orchestratorUrl) // or orchestratorsConfig: [{"url": ..., "weight": ...}]
                .parameter("workerId", "gpu-worker-1")
                .parameter("workerToken", workerToken)         // never logged
                .parameter("workerType", "gpu")
                .parameter("maxConcurrentTasks", "4")
                // skill -> operator; also priority, limit-group, input-slots, cost, skill-version (or skillsBean)
                .parameter("skills", """
                        transcribe.operator=whisper
                        transcribe.version=v1
                        transcribe.timeout=5m
                        """)
                .parameter("websockets", "false")             // true: cancel_task commands over WebSocket
                .parameter("heartbeatInterval", "10s")
                .parameter("brokerUrl", brokerUrl)
                .add();
    }
}
