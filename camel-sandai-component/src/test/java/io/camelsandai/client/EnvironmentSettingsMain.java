package io.camelsandai.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.component.SandaiEndpoint;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.operator.OperatorRuntimeSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

import static org.awaitility.Awaitility.await;

/**
 * Run by {@link EnvironmentVariablesTest} in a child JVM whose environment holds the {@code SANDAI_OPERATOR_*}
 * variables: configures everything from that environment alone (no URL, no option), prints the effective settings
 * as {@code key=value} lines (URLs sanitized, as everywhere), and makes real calls so that the parent can look for
 * their traces in Redis.
 */
public final class EnvironmentSettingsMain {
    private EnvironmentSettingsMain() {
    }

    public static void main(String[] args) throws Exception {
        OperatorSettings fromEnv = OperatorSettings.fromEnvironment();
        print("client", fromEnv);
        try (CamelContext camel = new DefaultCamelContext()) {
            SandaiEndpoint endpoint = camel.getEndpoint("sandai:env-op:v1", SandaiEndpoint.class);
            print("endpoint", endpoint.getConfiguration().toOperatorSettings());
        }
        OperatorRuntime runtime = new OperatorRuntime(OperatorRuntimeSettings.builder("env-op", "v1")
                .connection(fromEnv).remoteControl(false).build(),
                task -> CompletableFuture.completedFuture(OperatorResult.success(List.of(), Map.of("worker", "child"))));
        runtime.start();
        try (OperatorClient client = OperatorClient.create("env-op", "v1", fromEnv);
             OperatorClient idle = OperatorClient.create("idle-op", "v1", fromEnv)) {
            // read through the client: auto-forget deletes the result afterwards
            TaskHandle called = client.submit(OperatorRequest.of(List.of(), Map.of("n", 1)), CallOptions.DEFAULTS);
            OperatorResult result = called.get(Duration.ofSeconds(30));
            System.out.println("call.id=" + called.id());
            System.out.println("call.status=" + result.status().wireName());
            // answered, never read: the result stays, in the result serializer
            TaskHandle kept = client.submit(OperatorRequest.of(List.of(), Map.of("n", 2)), CallOptions.DEFAULTS);
            await().atMost(Duration.ofSeconds(30)).until(kept::ready);
            System.out.println("kept.id=" + kept.id());
            // nobody serves idle-op: the message stays in the broker, in the task serializer
            TaskHandle queued = idle.submit(OperatorRequest.of(List.of(), Map.of("n", 3)), CallOptions.DEFAULTS);
            System.out.println("queued.id=" + queued.id());
            System.out.println("sharedBroker=" + (client.broker() == idle.broker()));
        } finally {
            runtime.close();
        }
        System.out.println("done=true");
    }

    private static void print(String prefix, OperatorSettings s) {
        System.out.println(prefix + ".brokerUrl=" + s.brokerUrl());
        System.out.println(prefix + ".resultBackendUrl=" + s.resultBackendUrl());
        System.out.println(prefix + ".taskSerializer=" + s.taskSerializer().serializerName());
        System.out.println(prefix + ".resultSerializer=" + s.resultSerializer().serializerName());
        System.out.println(prefix + ".autoForgetResult=" + s.autoForgetResult());
        System.out.println(prefix + ".brokerPoolLimit=" + s.brokerPoolLimit());
        System.out.println(prefix + ".backendPoolLimit=" + s.backendPoolLimit());
        System.out.println(prefix + ".backendPollConcurrency=" + s.backendPollConcurrency());
        System.out.println(prefix + ".poolAcquireTimeout=" + s.poolAcquireTimeout());
        System.out.println(prefix + ".sharedTransportScope=" + s.sharedTransportScope());
    }
}
