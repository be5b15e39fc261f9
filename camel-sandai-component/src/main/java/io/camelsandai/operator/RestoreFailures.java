package io.camelsandai.operator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports failed restore passes at WARN with their reason: a restore that keeps failing (an ACL {@code NOPERM}, a
 * script error, Redis away) leaves dead workers' tasks unrestored, which must show at the default log level. At
 * most one line per {@link #REPEAT_MILLIS} (with the count of passes failed meanwhile), so a long outage does not
 * flood the log; one INFO line when passes work again.
 */
final class RestoreFailures {
    private static final Logger LOG = LoggerFactory.getLogger(Restorer.class);
    static final long REPEAT_MILLIS = 60_000;

    private final java.util.function.LongSupplier nanoTime;
    private long failedSinceReport;
    private long failedInRow;
    private long lastReportNanos;

    RestoreFailures() {
        this(System::nanoTime);
    }

    RestoreFailures(java.util.function.LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Records a failed pass; true when it was reported at WARN (the first of a run, then once a minute). */
    synchronized boolean failed(RuntimeException e) {
        failedInRow++;
        failedSinceReport++;
        long now = nanoTime.getAsLong();
        if (failedInRow == 1 || now - lastReportNanos >= REPEAT_MILLIS * 1_000_000) {
            // Jedis messages name host and port, never the password
            LOG.warn("restore pass failed ({} failed since the last report): {}; tasks of dead workers are not "
                     + "restored until it works", failedSinceReport, e.toString());
            LOG.debug("restore pass failure", e);
            lastReportNanos = now;
            failedSinceReport = 0;
            return true;
        }
        return false;
    }

    synchronized void succeeded() {
        if (failedInRow > 0) {
            LOG.info("restore passes work again after {} failed", failedInRow);
        }
        failedInRow = 0;
        failedSinceReport = 0;
    }
}
