package io.camelsandai.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Last line of defence against orphan redis-server / celery processes: every process the test
 * support starts is registered here, and a JVM shutdown hook kills whatever is still alive (a test
 * JVM killed by Surefire's timeout, or a test that forgot to close a handle).
 */
final class ProcessReaper {

    private static final Set<ProcessHandle> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "sandai-test-process-reaper"));
    }

    private ProcessReaper() {
    }

    static void register(ProcessHandle handle) {
        LIVE.add(handle);
    }

    static void unregister(ProcessHandle handle) {
        LIVE.remove(handle);
    }

    /**
     * SIGKILL a process and everything below it. Descendants are listed before the parent dies,
     * because once it is gone they are re-parented to init and no longer findable from it
     * (Celery's prefork children would survive otherwise).
     */
    static List<ProcessHandle> killTree(ProcessHandle root) {
        List<ProcessHandle> descendants = root.descendants().toList();
        root.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        return descendants;
    }

    /** Waits (bounded) until every handle has exited; a kill signal is asynchronous. */
    static void awaitGone(List<ProcessHandle> handles, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle handle : handles) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                return;
            }
        }
    }

    private static void killAll() {
        LIVE.forEach(ProcessReaper::killTree);
    }
}
