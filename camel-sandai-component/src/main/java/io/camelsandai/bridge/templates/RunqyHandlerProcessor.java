package io.camelsandai.bridge.templates;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.health.HealthCheckRegistry;

import io.camelsandai.bridge.runqy.RunqyHandlerPool;
import io.camelsandai.bridge.runqy.RunqyHandlerSettings;

/**
 * The step of template {@code sandai-runqy-handler}: runs each task on a {@link RunqyHandlerPool}. The pool follows
 * the route: started (children spawned, ready awaited) when the route starts, stopped with it; and a readiness
 * check {@code sandai-runqy-handler:<name>} ({@link RunqyPoolHealthCheck}) is registered while it runs, DOWN while
 * the pool is degraded.
 */
public final class RunqyHandlerProcessor extends OperatorHandlerProcessor implements CamelContextAware {
    private final RunqyHandlerPool pool;
    private final RunqyPoolHealthCheck healthCheck;
    private CamelContext camelContext;
    private HealthCheckRegistry registry;

    public RunqyHandlerProcessor(RunqyHandlerSettings settings) {
        this(new RunqyHandlerPool(settings));
    }

    private RunqyHandlerProcessor(RunqyHandlerPool pool) {
        super(pool);
        this.pool = pool;
        this.healthCheck = new RunqyPoolHealthCheck(pool);
    }

    public RunqyHandlerPool getPool() {
        return pool;
    }

    public RunqyPoolHealthCheck getHealthCheck() {
        return healthCheck;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        pool.start();
        registry = camelContext == null ? null : HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            healthCheck.setCamelContext(camelContext);
            registry.register(healthCheck);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (registry != null) {
            registry.unregister(healthCheck);
            registry = null;
        }
        pool.close();
        super.doStop();
    }
}
