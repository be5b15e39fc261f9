package io.camelsandai.bridge.templates;

import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ShutdownPrepared;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ties a bridge worker (runqy, Avtomatika, gyoza) to the lifecycle of its Camel route. It is a step of the route
 * ({@code from("direct:...").process(this).to("sandai:...")}) that passes exchanges through unchanged; what matters
 * is that Camel starts and stops it with the route:
 * <ul>
 * <li>start: a {@link SandaiRouteCaller} onto the route's own input is opened and a fresh worker is built around it
 *     and started (a route that is stopped and started again gets a new worker). The worker may take a task before
 *     the route's {@code direct:} consumer is up; the direct producer then waits for it (its {@code block} default).</li>
 * <li>graceful stop: Camel stops the route's input first, then calls {@link #prepareShutdown} on the route's
 *     services, then waits for in-flight exchanges. The worker is stopped there: it takes no new task and lets the
 *     calls in flight finish (they are exchanges of this route, so Camel waits for them as well), then reports.</li>
 * <li>{@link #doStop()} stops the worker too when it was not stopped yet (a forced or non-graceful stop).</li>
 * </ul>
 */
public final class RouteBoundWorker extends ServiceSupport implements Processor, CamelContextAware, ShutdownPrepared {
    private static final Logger LOG = LoggerFactory.getLogger(RouteBoundWorker.class);

    /** A startable worker. */
    public interface Worker {
        void start();

        /** Stops gracefully (drains in-flight tasks within the worker's own shutdown timeout). */
        void stop();

        boolean isRunning();
    }

    private final String name;
    private final String callEndpointUri;
    private final Function<SandaiRouteCaller, Worker> factory;
    private CamelContext camelContext;
    private SandaiRouteCaller caller;
    private volatile Worker worker;

    /**
     * @param callEndpointUri the route's own input, into which the worker sends its operator calls
     * @param factory         builds a new worker around the caller each time the route starts
     */
    public RouteBoundWorker(String name, String callEndpointUri, Function<SandaiRouteCaller, Worker> factory) {
        this.name = name;
        this.callEndpointUri = callEndpointUri;
        this.factory = factory;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** True while the worker takes tasks. */
    public boolean isWorkerRunning() {
        Worker w = worker;
        return w != null && w.isRunning();
    }

    @Override
    public void process(Exchange exchange) {
        // Pass-through: this step exists so that the worker's lifecycle follows the route.
    }

    @Override
    protected void doStart() throws Exception {
        caller = new SandaiRouteCaller(camelContext, callEndpointUri);
        caller.start();
        Worker w = factory.apply(caller);
        w.start();
        worker = w;
        LOG.info("{}: worker started, calling operators through {}", name, callEndpointUri);
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        stopWorker();
    }

    /** After a suspend (which stopped the worker in {@link #prepareShutdown}), a new worker takes over. */
    @Override
    protected void doResume() {
        if (worker == null && caller != null) {
            Worker w = factory.apply(caller);
            w.start();
            worker = w;
        }
    }

    @Override
    protected void doStop() {
        stopWorker();
        if (caller != null) {
            caller.stop();
            caller = null;
        }
    }

    private synchronized void stopWorker() {
        Worker w = worker;
        if (w == null) {
            return;
        }
        worker = null;
        try {
            w.stop();
            LOG.info("{}: worker stopped", name);
        } catch (RuntimeException e) {
            LOG.warn("{}: stopping the worker failed: {}", name, e.toString());
        }
    }
}
