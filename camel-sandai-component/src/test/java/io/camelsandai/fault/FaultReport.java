package io.camelsandai.fault;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one fault run did to the tasks it sent: every task the broker accepted must end with its result in the
 * caller's hands; "run twice" is allowed (at-least-once) but counted and bounded.
 *
 * @param fault         what was injected
 * @param sent          tasks the broker accepted
 * @param results       callers that got a SUCCESS result
 * @param lost          callers left without any result (and no result stored)
 * @param wronglyFailed callers that got FAILURE or any non-success outcome (the handler never fails)
 * @param runTwice      tasks whose handler ran more than once
 * @param refusedAtSend sends refused with BrokerUnavailableException (the caller knows; not counted as sent)
 * @param recovery      from the end of the fault to the last result
 */
record FaultReport(String fault, int sent, int results, int lost, int wronglyFailed, int runTwice, int refusedAtSend,
                   Duration recovery) {
    private static final Logger LOG = LoggerFactory.getLogger(FaultReport.class);

    FaultReport log() {
        LOG.info("FAULT REPORT [{}] sent={} results={} lost={} wronglyFailed={} runTwice={} refusedAtSend={} "
                 + "recoveryMillis={}", fault, sent, results, lost, wronglyFailed, runTwice, refusedAtSend,
                recovery.toMillis());
        return this;
    }

    /** 0 lost, 0 wrongly failed, a result for every task sent, at most {@code maxRunTwice} run twice. */
    void assertHolds(int maxRunTwice) {
        assertEquals(0, lost, "lost tasks: " + this);
        assertEquals(0, wronglyFailed, "tasks failed by the fault: " + this);
        assertEquals(sent, results, "callers without their result: " + this);
        assertTrue(sent > 0, "nothing was sent: " + this);
        assertTrue(runTwice <= maxRunTwice, "too many tasks ran twice: " + this);
    }
}
