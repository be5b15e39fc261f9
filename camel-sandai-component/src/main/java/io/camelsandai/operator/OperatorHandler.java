package io.camelsandai.operator;

import java.util.concurrent.CompletionStage;

import io.camelsandai.model.OperatorResult;

/**
 * The work of an operator: one task in, one structured result out. Implementations may finish on another thread
 * (the Camel consumer completes when its route does). Completing exceptionally with an {@link OperatorFailure} gives
 * a {@code failed} result with that type and retryable flag; any other exception gives {@code failed} with the
 * exception's simple class name, not retryable.
 */
@FunctionalInterface
public interface OperatorHandler {
    CompletionStage<OperatorResult> handle(OperatorTask task);
}
