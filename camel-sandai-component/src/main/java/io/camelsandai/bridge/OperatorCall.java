package io.camelsandai.bridge;

import java.time.Duration;
import java.util.Objects;

import io.camelsandai.model.OperatorRequest;

/**
 * One call to make on a Sandai operator.
 *
 * @param target    the operator and its default priority/timeout
 * @param request   input artifacts and options
 * @param timeout   the limit for this call (already combined with any source deadline); null = target's timeout
 * @param cancelKey the Sandai cancel key that {@link OperatorInvoker#cancel} sets for this call; null = none
 */
public record OperatorCall(OperatorTarget target, OperatorRequest request, Duration timeout, String cancelKey) {

    public OperatorCall {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(request, "request");
    }

    /** The limit that applies: this call's, else the target's; null when neither sets one. */
    public Duration effectiveTimeout() {
        return timeout != null ? timeout : target.timeout();
    }
}
