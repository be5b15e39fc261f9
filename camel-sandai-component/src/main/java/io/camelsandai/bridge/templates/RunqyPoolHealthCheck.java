package io.camelsandai.bridge.templates;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.camelsandai.bridge.runqy.RunqyHandlerPool;

/**
 * Readiness of a {@code sandai-runqy-handler} route: DOWN while its handler pool is degraded (a child crashed,
 * restarting or cooling down, or one-shot starts failing), so a load balancer or orchestrator stops counting on
 * the full capacity. Not a liveness check: a degraded pool heals itself. Id {@code sandai-runqy-handler:<pool name>}.
 */
public final class RunqyPoolHealthCheck extends AbstractHealthCheck {
    private final RunqyHandlerPool pool;

    public RunqyPoolHealthCheck(RunqyHandlerPool pool) {
        super("camel", "sandai-runqy-handler:" + pool.settings().name());
        this.pool = pool;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("ready.processes", pool.readyProcesses());
        builder.detail("processes", pool.settings().processes());
        if (pool.isDegraded()) {
            builder.message("runqy handler pool is degraded: " + pool.readyProcesses() + "/"
                            + pool.settings().processes() + " processes ready");
            builder.down();
        } else {
            builder.up();
        }
    }
}
