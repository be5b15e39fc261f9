package io.camelsandai.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.operator.OperatorHandler;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.operator.OperatorRuntimeSettings;

/** Java workers and clients of one operator for the fault tests; closes what it started. */
final class FaultFixture implements AutoCloseable {
    static final String OPERATOR = "fault-op";
    static final String VERSION = "v1";

    private final List<AutoCloseable> started = new ArrayList<>();

    /** Connection settings; the pool acquire and connect timeouts are short so an outage outlasts them all. */
    static OperatorSettings.Builder connection(String url) {
        return OperatorSettings.builder().brokerUrl(url).environment(k -> null)
                .poolAcquireTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(2));
    }

    OperatorRuntime worker(String url, UnaryOperator<OperatorRuntimeSettings.Builder> tune, OperatorHandler handler) {
        OperatorRuntime r = new OperatorRuntime(tune.apply(OperatorRuntimeSettings.builder(OPERATOR, VERSION)
                .connection(connection(url).build()).shutdownTimeout(Duration.ofSeconds(5))).build(), handler);
        started.add(0, r);
        r.start();
        return r;
    }

    OperatorClient client(String url) {
        OperatorClient c = OperatorClient.create(OPERATOR, VERSION, connection(url).sharedTransportScope("process")
                .build());
        started.add(0, c);
        return c;
    }

    @Override
    public void close() {
        for (AutoCloseable c : started) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort at test end
            }
        }
    }
}
