package io.camelsandai.artifact;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;

/**
 * Producer-side staging around an {@link OperatorClient}: local inputs are uploaded to {@code stagingUri} before the
 * task is sent (the message then names {@code s3://...} URIs), and result artifacts can be fetched into a directory
 * with their size and sha256 verified. Local files here are the caller's own, so they are read directly, not through
 * the allowed-roots check that guards the operator side.
 */
public final class StagingClient implements AutoCloseable {
    private final OperatorClient client;
    private final ArtifactSettings settings;
    private final ArtifactTransfer transfer;

    /**
     * @param client may be null when only {@link #uploadInputs} and {@link #downloadOutputs} are used
     */
    public StagingClient(OperatorClient client, ArtifactStores stores, ArtifactSettings settings) {
        this.client = client;
        this.settings = settings;
        this.transfer = new ArtifactTransfer(stores, settings);
    }

    /**
     * Uploads every input that is a local file (a {@code localPath}, a {@code file://} URI or a bare path) to
     * {@code <stagingUri>/<random id>/<slot>/<file name>}; other inputs pass through.
     *
     * @return the request to send, naming the uploaded URIs (with size, sha256 and content type)
     */
    public OperatorRequest uploadInputs(OperatorRequest request) {
        List<Artifact> inputs = request.inputArtifacts();
        List<ArtifactTransfer.Upload> jobs = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        String batch = UUID.randomUUID().toString();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            Path local = localFileOf(inputs.get(i));
            if (local == null) {
                continue;
            }
            if (settings.stagingUri() == null) {
                throw new ArtifactTransferException("local input " + inputs.get(i) + " needs a stagingUri to be uploaded to",
                        false);
            }
            String slot = ArtifactNames.segment(inputs.get(i).slot(), "default");
            String name = ArtifactNames.segment(local.getFileName().toString(), "input");
            String uri = ArtifactNames.child(settings.stagingUri(), batch, slot, name);
            for (int n = 1; !taken.add(uri); n++) {
                uri = ArtifactNames.child(settings.stagingUri(), batch, slot, n + "-" + name);
            }
            jobs.add(new ArtifactTransfer.Upload(local, uri, inputs.get(i).slot(), inputs.get(i).contentType()));
            positions.add(i);
        }
        if (jobs.isEmpty()) {
            return request;
        }
        List<Artifact> uploaded = transfer.uploadAll(jobs);
        List<Artifact> staged = new ArrayList<>(inputs);
        for (int j = 0; j < positions.size(); j++) {
            staged.set(positions.get(j), uploaded.get(j));
        }
        return request.withInputArtifacts(staged);
    }

    private static Path localFileOf(Artifact a) {
        if (a.localPath() != null) {
            return a.localPath();
        }
        URI uri;
        try {
            uri = new URI(a.uri());
        } catch (java.net.URISyntaxException e) {
            return null;
        }
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            return Path.of(uri);
        }
        if (uri.getScheme() == null && a.uri().startsWith("/")) {
            return Path.of(a.uri());
        }
        return null;
    }

    /**
     * Downloads every result artifact into {@code <dir>/<slot>/<file name>} and returns them with {@code localPath}
     * set next to their URI.
     *
     * @throws ArtifactIntegrityException when a file's size or sha256 differs from what the result announced
     */
    public List<Artifact> downloadOutputs(OperatorResult result, Path dir) {
        Set<Path> taken = new HashSet<>();
        List<Path> targets = new ArrayList<>();
        for (Artifact a : result.artifacts()) {
            Path slotDir = dir.resolve(ArtifactNames.segment(a.slot(), "default"));
            Path p = slotDir.resolve(ArtifactNames.fileName(a.uri()));
            for (int n = 1; !taken.add(p); n++) {
                p = slotDir.resolve(n + "-" + ArtifactNames.fileName(a.uri()));
            }
            targets.add(p);
        }
        return transfer.downloadAll(result.artifacts(), targets);
    }

    /** {@link #uploadInputs}, call, then {@link #downloadOutputs} when the result is a success. */
    public OperatorResult call(OperatorRequest request, CallOptions options, Path outputDir) {
        try {
            return callAsync(request, options, outputDir).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw ArtifactTransfer.rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactTransferException("interrupted while waiting for the task", true, e);
        }
    }

    public CompletableFuture<OperatorResult> callAsync(OperatorRequest request, CallOptions options, Path outputDir) {
        if (client == null) {
            throw new IllegalStateException("this StagingClient was built without an OperatorClient");
        }
        OperatorRequest staged = uploadInputs(request);
        return client.callAsync(staged, options, null).thenApply(result -> {
            if (!result.isSuccess() || outputDir == null) {
                return result;
            }
            return new OperatorResult(result.status(), downloadOutputs(result, outputDir), result.results(), result.error());
        });
    }

    @Override
    public void close() {
        transfer.close();
    }
}
