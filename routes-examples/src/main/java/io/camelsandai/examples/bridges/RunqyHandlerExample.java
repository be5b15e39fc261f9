package io.camelsandai.examples.bridges;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;

import io.camelsandai.bridge.templates.SandaiBridgeTemplates;

/**
 * A runqy-python handler ({@code handler.py} with {@code @task}/{@code @load}) served as the Sandai operator
 * {@code transcribe:v1}: two long-running handler processes, crashed ones restarted, readiness check
 * {@code sandai-runqy-handler:transcribe:v1} DOWN while a process is missing.
 *
 * <p>YAML ({@code context.addRoutes(new SandaiBridgeTemplates())} first):
 * <pre>
 * - templatedRoute:
 *     routeTemplateRef: sandai-runqy-handler
 *     routeId: transcribe-operator
 *     parameters:
 *       - { name: operatorName, value: transcribe }
 *       - { name: operatorVersion, value: v1 }
 *       - { name: command, value: "/usr/bin/python3 handler.py" }
 *       - { name: workingDir, value: /opt/handlers/transcribe }
 *       - { name: processes, value: "2" }
 *       - { name: mode, value: long-running }
 *       - { name: brokerUrl, value: "redis://redis:6379/0" }
 * </pre>
 */
public final class RunqyHandlerExample {
    private RunqyHandlerExample() {
    }

    /**
     * @param handlerDir directory holding {@code handler.py}
     * @return the route id
     */
    public static String addTo(CamelContext context, String brokerUrl, String python, String handlerDir) throws Exception {
        context.addRoutes(new SandaiBridgeTemplates()); // once per CamelContext: makes the five templates known
        return TemplatedRouteBuilder.builder(context, SandaiBridgeTemplates.RUNQY_HANDLER)
                .routeId("transcribe-operator")
                .parameter("operatorName", "transcribe")
                .parameter("operatorVersion", "v1")
                .parameter("command", python + " handler.py")  // split on spaces; runs in workingDir
                .parameter("workingDir", handlerDir)
                .parameter("processes", "2")                    // children, and tasks taken at once
                .parameter("mode", "long-running")              // or one-shot: a process per task
                .parameter("startupTimeout", "60s")             // @load may be slow (model download)
                .parameter("taskTimeout", "10m")                // answered TaskTimeout; the child keeps running
                .parameter("maxRestarts", "5")                  // per restartCooldown window
                .parameter("restartCooldown", "60s")
                .parameter("brokerUrl", brokerUrl)
                .parameter("sandaiOptions", "&description=Speech to text") // any other sandai: consumer option
                .add();
    }
}
