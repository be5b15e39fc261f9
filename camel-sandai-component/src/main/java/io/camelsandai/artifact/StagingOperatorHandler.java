package io.camelsandai.artifact;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.operator.OperatorHandler;
import io.camelsandai.operator.OperatorTask;

/**
 * Wraps an {@link OperatorHandler} with artifact staging:
 * <ol>
 * <li>every input artifact is downloaded to {@code <workDir>/<taskId>/in/<slot>/<file name>} (at most
 * {@code downloadConcurrency} at once), and the delegate sees a request whose artifacts keep their URI and carry
 * {@link Artifact#localPath()};</li>
 * <li>every result artifact with a local path (an output the delegate produced, see {@link #output(String, Path)})
 * is uploaded to {@code <outputUri>/<persistent|temporary prefix>/<operator>/<version>/<taskId>/<slot>/<file name>}
 * and replaced by {@code {uri, slot, size, sha256, content_type}}; artifacts with only a URI pass through;</li>
 * <li>the task's work dir is removed when the task ends, whatever the outcome ({@code keepWorkDirOnFailure} keeps it
 * after a failure, for debugging).</li>
 * </ol>
 * A staging error becomes a {@code failed} result with the error's type (ArtifactNotFound, ArtifactAccessDenied,
 * ArtifactTransferFailed) and retryable flag; errors of the delegate itself are passed on untouched.
 *
 * <p>Downloads are awaited on the calling thread, and the delegate is called on it too, exactly as an unstaged
 * handler would be.
 */
public final class StagingOperatorHandler implements OperatorHandler, AutoCloseable {
    private final OperatorHandler delegate;
    private final ArtifactSettings settings;
    private final ArtifactTransfer transfer;
    private final String operatorName;
    private final String operatorVersion;

    public StagingOperatorHandler(OperatorHandler delegate, ArtifactStores stores, ArtifactSettings settings,
            String operatorName, String operatorVersion) {
        this.delegate = delegate;
        this.settings = settings;
        this.transfer = new ArtifactTransfer(stores, settings);
        this.operatorName = ArtifactNames.segment(operatorName, "operator");
        this.operatorVersion = ArtifactNames.segment(operatorVersion, "version");
    }

    /** Declares an output the handler produced as a local file, to be uploaded by the staging handler. */
    public static Artifact output(String slot, Path file) {
        return output(slot, file, null);
    }

    public static Artifact output(String slot, Path file, String contentType) {
        Path absolute = file.toAbsolutePath();
        return Artifact.builder().uri(absolute.toUri().toString()).slot(slot).contentType(contentType)
                .localPath(absolute).build();
    }

    /**
     * Where a handler running under staging writes its outputs: {@code <workDir>/<taskId>/out}, created before the
     * handler is called and removed with the work dir.
     *
     * @throws IllegalArgumentException when the task is not one a {@link StagingOperatorHandler} passed on
     */
    public static Path outputDir(OperatorTask task) {
        if (task instanceof StagedOperatorTask staged) {
            return staged.outputDir();
        }
        throw new IllegalArgumentException("not a staged task: wrap the handler in a StagingOperatorHandler");
    }

    /** The per-task work dir (exists only while the task runs). */
    public Path workDirOf(String taskId) {
        return settings.workDir().resolve(ArtifactNames.segment(taskId, "task"));
    }

    @Override
    public CompletionStage<OperatorResult> handle(OperatorTask task) {
        Path taskDir = workDirOf(task.taskId());
        CompletionStage<OperatorResult> work;
        try {
            OperatorRequest staged = stageInputs(task.request(), taskDir);
            Path outDir = Files.createDirectories(taskDir.resolve("out"));
            work = delegate.handle(new StagedOperatorTask(task, staged, outDir))
                    .thenApply(result -> uploadOutputs(task, result));
        } catch (IOException e) {
            work = CompletableFuture.failedFuture(
                    new ArtifactTransferException("cannot create the work dir: " + e.getMessage(), false, e));
        } catch (RuntimeException e) {
            work = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<OperatorResult> outcome = new CompletableFuture<>();
        work.whenComplete((result, error) -> {
            Throwable cause = error == null ? null : unwrap(error);
            OperatorResult finalResult = cause instanceof ArtifactException ae ? OperatorResult.failed(ae.toTaskError())
                    : result;
            boolean succeeded = cause == null && finalResult != null && finalResult.isSuccess();
            if (succeeded || !settings.keepWorkDirOnFailure()) {
                deleteTree(taskDir);
            }
            if (finalResult != null) {
                outcome.complete(finalResult);
            } else {
                outcome.completeExceptionally(cause);
            }
        });
        return outcome;
    }

    private OperatorRequest stageInputs(OperatorRequest request, Path taskDir) {
        if (request.inputArtifacts().isEmpty()) {
            return request;
        }
        Path inDir = taskDir.resolve("in");
        Set<Path> taken = new HashSet<>();
        List<Path> targets = new ArrayList<>();
        for (Artifact a : request.inputArtifacts()) {
            Path slotDir = inDir.resolve(ArtifactNames.segment(a.slot(), "default"));
            targets.add(unique(slotDir, ArtifactNames.fileName(a.uri()), taken));
        }
        List<Artifact> staged = transfer.downloadAll(request.inputArtifacts(), targets);
        return request.withInputArtifacts(staged);
    }

    /** Two artifacts of one slot with the same file name must not overwrite each other. */
    private static Path unique(Path dir, String name, Set<Path> taken) {
        Path p = dir.resolve(name);
        for (int i = 1; !taken.add(p); i++) {
            p = dir.resolve(i + "-" + name);
        }
        return p;
    }

    private OperatorResult uploadOutputs(OperatorTask task, OperatorResult result) {
        if (!result.isSuccess() || result.artifacts().stream().noneMatch(a -> a.localPath() != null)) {
            return result;
        }
        if (settings.outputUri() == null) {
            throw new ArtifactTransferException("the handler produced local outputs but no outputUri is configured", false);
        }
        String prefix = task.request().meta().persistentOutput() ? settings.persistentPrefix() : settings.temporaryPrefix();
        String taskSegment = ArtifactNames.segment(task.taskId(), "task");
        List<ArtifactTransfer.Upload> jobs = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Artifact a : result.artifacts()) {
            if (a.localPath() == null) {
                continue;
            }
            String slot = ArtifactNames.segment(a.slot(), "default");
            String name = ArtifactNames.segment(a.localPath().getFileName().toString(), "output");
            String uri = ArtifactNames.child(settings.outputUri(), prefix, operatorName, operatorVersion, taskSegment,
                    slot, name);
            for (int i = 1; !taken.add(uri); i++) {
                uri = ArtifactNames.child(settings.outputUri(), prefix, operatorName, operatorVersion, taskSegment, slot,
                        i + "-" + name);
            }
            jobs.add(new ArtifactTransfer.Upload(a.localPath(), uri, a.slot(), a.contentType()));
        }
        List<Artifact> uploaded = transfer.uploadAll(jobs);
        List<Artifact> artifacts = new ArrayList<>(result.artifacts().size());
        int next = 0;
        for (Artifact a : result.artifacts()) {
            artifacts.add(a.localPath() == null ? a : uploaded.get(next++));
        }
        return new OperatorResult(result.status(), artifacts, result.results(), result.error());
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
               && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // A leftover work dir is disk waste, not a task failure.
        }
    }

    @Override
    public void close() {
        transfer.close();
    }
}
