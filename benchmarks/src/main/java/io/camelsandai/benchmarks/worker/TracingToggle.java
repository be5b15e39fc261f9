package io.camelsandai.benchmarks.worker;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import io.camelsandai.model.OperatorResult;
import io.camelsandai.operator.OperatorHandler;
import io.camelsandai.operator.OperatorTask;
import io.camelsandai.tracing.SandaiTracing;

/**
 * {@code -Dbench.tracingToggle=<n>} in the worker JVM: tracing is switched off and on every {@code n} tasks in the
 * same running worker, and the CPU of its runtime threads ({@code sandai-*}: task threads, taker, writers;
 * nanosecond thread clocks) and of the whole process is booked to the phase it was spent in. Both phases then run
 * with the same JIT state, the same Redis, the same messages and the same neighbours on the machine, so the
 * difference is what tracing itself costs per task, free of what differs between two worker JVMs. Each switch
 * prints the running totals to standard error (the worker's log), which {@link PreFilledDrain#toggled} reads.
 */
final class TracingToggle implements OperatorHandler {
    private final OperatorHandler delegate;
    private final SandaiTracing traced;
    private final long every;
    private final AtomicLong tasks = new AtomicLong();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final long[] runtimeNanos = new long[2]; // [off, on]
    private final long[] processNanos = new long[2];
    private final long[] phaseTasks = new long[2];
    private final long[] allocatedBytes = new long[2];
    private long lastRuntime;
    private long lastAllocated;
    private long lastProcess;
    private boolean on;

    TracingToggle(OperatorHandler delegate, SandaiTracing traced, long every) {
        this.delegate = delegate;
        this.traced = traced;
        this.every = every;
        SandaiTracing.setGlobal(SandaiTracing.NOOP);
    }

    @Override
    public CompletionStage<OperatorResult> handle(OperatorTask task) {
        if (tasks.incrementAndGet() % every == 0) {
            toggle();
        }
        return delegate.handle(task);
    }

    private synchronized void toggle() {
        long[] runtime = runtimeThreads();
        long process = processCpu();
        int phase = on ? 1 : 0;
        if (lastProcess != 0) {
            runtimeNanos[phase] += runtime[0] - lastRuntime;
            allocatedBytes[phase] += runtime[1] - lastAllocated;
            processNanos[phase] += process - lastProcess;
            phaseTasks[phase] += every;
        }
        lastRuntime = runtime[0];
        lastAllocated = runtime[1];
        lastProcess = process;
        on = !on;
        SandaiTracing.setGlobal(on ? traced : SandaiTracing.NOOP);
        // raw totals (tasks, runtime-thread ns, process ns, runtime-thread bytes allocated; off then on), for
        // differences between two lines
        System.err.printf(Locale.ROOT, "TOGGLE %d %d %d %d %d %d %d %d%n", phaseTasks[0], runtimeNanos[0],
                processNanos[0], allocatedBytes[0], phaseTasks[1], runtimeNanos[1], processNanos[1], allocatedBytes[1]);
    }

    /** {CPU ns, bytes allocated} summed over the runtime's threads; allocation counts are exact, load or not. */
    private long[] runtimeThreads() {
        long cpu = 0;
        long allocated = 0;
        com.sun.management.ThreadMXBean counters = (com.sun.management.ThreadMXBean) threads;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("sandai-")) {
                long c = threads.getThreadCpuTime(info.getThreadId());
                long a = counters.getThreadAllocatedBytes(info.getThreadId());
                cpu += Math.max(0, c);
                allocated += Math.max(0, a);
            }
        }
        return new long[] {cpu, allocated};
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
