package io.camelsandai.bridge.avtomatika;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelsandai.artifact.ArtifactStat;
import io.camelsandai.artifact.ArtifactStores;
import io.camelsandai.bridge.CallOutcome;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorResult;

/**
 * The worker SDK's S3 payload convention (spec section 6), for a worker whose operator stages {@code s3://} inputs
 * and uploads its outputs itself. Nothing is downloaded here; what the orchestrator relies on is kept:
 * <ul>
 *   <li>inputs: each {@code s3://} string of {@code params} whose path ({@code a.b[0]}) has a
 *       {@code params_metadata} entry with {@code size} and/or {@code etag} is checked with an S3 HEAD before the
 *       operator is called; a different size or ETag (quotes stripped), or a missing object, ends the task with
 *       {@code INTEGRITY_MISMATCH_ERROR}. A missing object counts as a mismatch: the orchestrator vouched for an
 *       object that is not there, so the job fails without retries and without blaming this worker (which
 *       {@code PERMANENT_ERROR} would). A HEAD that fails for another reason (S3 unreachable, access denied) is
 *       {@code TRANSIENT_ERROR}, as any other exception is in the SDK. Checks are skipped for what the store does
 *       not report (an unknown size, no ETag) and for folders ({@code s3://bucket/prefix/}).</li>
 *   <li>outputs: each string of a success's {@code data} that is the {@code s3://} URI of one of the operator's
 *       output artifacts gets {@code data_metadata[path] = {uri, size, etag}}; the size is the operator's, the ETag
 *       comes from an S3 HEAD. When the HEAD fails or finds nothing, the entry has no {@code etag} (the result is
 *       still sent: the output exists as far as the operator knows).</li>
 * </ul>
 */
final class S3PayloadConvention {
    /** The bridge's error type for a failed input check; {@link ResultMapping} turns it into INTEGRITY_MISMATCH_ERROR. */
    static final String INTEGRITY_MISMATCH = "IntegrityMismatch";
    private static final Logger LOG = LoggerFactory.getLogger(S3PayloadConvention.class);
    private static final String S3_PREFIX = "s3://";

    private final ArtifactStores stores;

    S3PayloadConvention(ArtifactStores stores) {
        this.stores = stores;
    }

    /** Checks the inputs against {@code params_metadata}; null when every check passed (or none applied). */
    CallOutcome checkInputs(Map<String, Object> params, Object paramsMetadata) {
        if (params == null || !(paramsMetadata instanceof Map<?, ?> metadata) || metadata.isEmpty()) {
            return null;
        }
        Map<String, String> uris = new LinkedHashMap<>();
        walk(params, "", (path, uri) -> uris.put(path, uri));
        for (Map.Entry<String, String> input : uris.entrySet()) {
            if (input.getValue().endsWith("/") || !(metadata.get(input.getKey()) instanceof Map<?, ?> expected)) {
                continue; // a folder (key prefix) has no size or ETag of its own
            }
            Object size = expected.get("size");
            String etag = ArtifactStat.unquoteEtag(expected.get("etag") == null ? null : String.valueOf(expected.get("etag")));
            if (!(size instanceof Number) && etag == null) {
                continue;
            }
            CallOutcome mismatch = check(input.getKey(), input.getValue(), size instanceof Number n ? n.longValue() : null, etag);
            if (mismatch != null) {
                return mismatch;
            }
        }
        return null;
    }

    private CallOutcome check(String path, String uri, Long size, String etag) {
        ArtifactStat stat;
        try {
            URI parsed = ArtifactStores.parse(uri);
            stat = stores.storeFor(parsed).stat(parsed);
        } catch (RuntimeException e) {
            return CallOutcome.failure(CallOutcome.Kind.ERROR, "ArtifactCheckFailed",
                    "could not check input '" + path + "': " + e.getMessage(), true);
        }
        if (!stat.exists()) {
            return mismatch("input '" + path + "' (" + uri + ") does not exist");
        }
        if (size != null && stat.size() >= 0 && stat.size() != size) {
            return mismatch("input '" + path + "' (" + uri + ") has " + stat.size() + " bytes, params_metadata says "
                            + size);
        }
        if (etag != null && stat.etag() != null && !stat.etag().equals(etag)) {
            return mismatch("input '" + path + "' (" + uri + ") has ETag " + stat.etag() + ", params_metadata says "
                            + etag);
        }
        return null;
    }

    private static CallOutcome mismatch(String message) {
        return CallOutcome.failure(CallOutcome.Kind.INVALID_INPUT, INTEGRITY_MISMATCH, message, false);
    }

    /** {@code data_metadata} for the output URIs found in {@code data}; empty when there are none. */
    Map<String, Object> outputMetadata(Map<String, Object> data, OperatorResult result) {
        Map<String, Artifact> outputs = new HashMap<>();
        result.artifacts().forEach(a -> {
            if (a.uri() != null && a.uri().startsWith(S3_PREFIX)) {
                outputs.putIfAbsent(a.uri(), a);
            }
        });
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (outputs.isEmpty()) {
            return metadata;
        }
        Map<String, ArtifactStat> stats = new HashMap<>();
        walk(data, "", (path, uri) -> {
            Artifact artifact = outputs.get(uri);
            if (artifact == null) {
                return;
            }
            ArtifactStat stat = stats.computeIfAbsent(uri, this::statQuietly);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("uri", uri);
            Long size = artifact.size() != null ? artifact.size() : stat != null && stat.size() >= 0 ? stat.size() : null;
            if (size != null) {
                entry.put("size", size);
            }
            if (stat != null && stat.etag() != null) {
                entry.put("etag", stat.etag());
            }
            metadata.put(path, entry);
        });
        return metadata;
    }

    private ArtifactStat statQuietly(String uri) {
        try {
            URI parsed = ArtifactStores.parse(uri);
            ArtifactStat stat = stores.storeFor(parsed).stat(parsed);
            if (!stat.exists()) {
                LOG.warn("output {} is not in the store; data_metadata has no etag for it", uri);
                return null;
            }
            return stat;
        } catch (RuntimeException e) {
            LOG.warn("could not stat output {}: {}; data_metadata has no etag for it", uri, e.getMessage());
            return null;
        }
    }

    /** Every {@code s3://} string under {@code value}, with its path in the SDK's syntax ({@code a.b[0]}). */
    private static void walk(Object value, String path, BiConsumer<String, String> found) {
        if (value instanceof String s) {
            if (s.startsWith(S3_PREFIX) && !path.isEmpty()) {
                found.accept(path, s);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path.isEmpty() ? String.valueOf(k) : path + "." + k, found));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", found);
            }
        }
    }
}
