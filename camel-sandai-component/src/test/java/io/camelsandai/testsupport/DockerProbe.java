package io.camelsandai.testsupport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Is there a Docker engine?", asked once per JVM. Testcontainers can throw (no engine, no
 * Testcontainers on the classpath of a module reusing the test-jar, broken config) or take long
 * probing several strategies: every failure and a time limit both mean "no", so the extension falls
 * through to the redis-server binary quickly.
 */
final class DockerProbe {

    private static final Logger LOG = LoggerFactory.getLogger(DockerProbe.class);
    private static final long LIMIT_SECONDS = 15;
    private static volatile Boolean available;

    private DockerProbe() {
    }

    static boolean isDockerAvailable() {
        Boolean result = available;
        if (result == null) {
            synchronized (DockerProbe.class) {
                if (available == null) {
                    available = probe();
                }
                result = available;
            }
        }
        return result;
    }

    private static boolean probe() {
        long started = System.nanoTime();
        try {
            boolean found = CompletableFuture.supplyAsync(DockerProbe::askTestcontainers)
                    .get(LIMIT_SECONDS, TimeUnit.SECONDS);
            LOG.info("Docker engine available: {} (probed in {} ms)", found, (System.nanoTime() - started) / 1_000_000);
            return found;
        } catch (Throwable t) {
            LOG.info("No Docker engine ({}); not using Testcontainers", t.toString());
            return false;
        }
    }

    /** Separate method so that Testcontainers classes are only resolved inside the guarded call. */
    private static boolean askTestcontainers() {
        return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    }
}
