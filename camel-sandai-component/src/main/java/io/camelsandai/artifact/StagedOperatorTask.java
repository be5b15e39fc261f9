package io.camelsandai.artifact;

import java.nio.file.Path;

import io.camelsandai.model.OperatorRequest;
import io.camelsandai.operator.ForwardingOperatorTask;
import io.camelsandai.operator.OperatorTask;

/**
 * The task a staged handler sees: same task, but its request's input artifacts carry local paths; {@link #kwargs()}
 * stays exactly as sent, with the original URIs.
 */
final class StagedOperatorTask extends ForwardingOperatorTask {
    private final OperatorRequest stagedRequest;
    private final Path outputDir;

    StagedOperatorTask(OperatorTask original, OperatorRequest stagedRequest, Path outputDir) {
        super(original);
        this.stagedRequest = stagedRequest;
        this.outputDir = outputDir;
    }

    /** {@code <workDir>/<taskId>/out}, removed with the rest of the work dir when the task ends. */
    Path outputDir() {
        return outputDir;
    }

    @Override
    public OperatorRequest request() {
        return stagedRequest;
    }
}
