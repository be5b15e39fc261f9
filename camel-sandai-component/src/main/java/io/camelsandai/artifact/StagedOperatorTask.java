package io.camelsandai.artifact;

import java.nio.file.Path;
import java.util.Map;

import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.Priority;
import io.camelsandai.operator.OperatorTask;

/** The task a staged handler sees: same task, but its request's input artifacts carry local paths. */
final class StagedOperatorTask implements OperatorTask {
    private final OperatorTask original;
    private final OperatorRequest stagedRequest;
    private final Path outputDir;

    StagedOperatorTask(OperatorTask original, OperatorRequest stagedRequest, Path outputDir) {
        this.original = original;
        this.stagedRequest = stagedRequest;
        this.outputDir = outputDir;
    }

    /** {@code <workDir>/<taskId>/out}, removed with the rest of the work dir when the task ends. */
    Path outputDir() {
        return outputDir;
    }

    @Override
    public String taskId() {
        return original.taskId();
    }

    @Override
    public OperatorRequest request() {
        return stagedRequest;
    }

    /** The kwargs exactly as sent, with the original URIs. */
    @Override
    public Map<String, Object> kwargs() {
        return original.kwargs();
    }

    @Override
    public Priority priority() {
        return original.priority();
    }

    @Override
    public String queue() {
        return original.queue();
    }

    @Override
    public int retries() {
        return original.retries();
    }

    @Override
    public void progress(int percent, String message) {
        original.progress(percent, message);
    }

    @Override
    public boolean isCancelled() {
        return original.isCancelled();
    }

    @Override
    public java.util.Map<String, Object> headers() {
        return original.headers();
    }
}
