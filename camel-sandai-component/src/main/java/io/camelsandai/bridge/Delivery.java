package io.camelsandai.bridge;

/** What became of one attempt to post a report. Network failures are not values: senders throw for those. */
public enum Delivery {
    /** The peer accepted it. */
    DELIVERED,
    /** The peer refused it for good (stale task, run locked, ...): retrying cannot help, so it is dropped. */
    REJECTED,
    /** It could not be posted yet; the outbox keeps it and retries with backoff. */
    QUEUED
}
