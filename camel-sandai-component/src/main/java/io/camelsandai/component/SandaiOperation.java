package io.camelsandai.component;

/** What a {@code sandai:} producer does with a message. */
public enum SandaiOperation {
    /** Run the operator on the request in the body (InOut: wait for the result; InOnly: send only). */
    process,
    /** Fetch the operator's description (cached per endpoint). */
    desc,
    /** True when a task can be sent to the broker. */
    ping,
    /** Send a description task and report each step (sent, answered, valid) and the latency. */
    probe,
    /** Set the cancel key so that operators skip tasks carrying it that have not started. */
    cancel,
    /** Run the operator on each request of a list, returning one structured entry per input, in order. */
    batch
}
