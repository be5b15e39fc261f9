package io.camelsandai.component;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelsandai.artifact.StagingOperatorHandler;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.operator.OperatorFailure;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.RuntimeCamelException;

/**
 * Turns what a consumer route left on its exchange into the task's result:
 * <ul>
 * <li>an exception: a failed result; error.type from header {@code CamelSandaiErrorType}, else the
 * {@link OperatorFailure}'s type, else the exception's simple class name; error.retryable from header
 * {@code CamelSandaiRetryable}, else the {@link OperatorFailure}'s flag (see {@link SandaiRetryableException});</li>
 * <li>an {@link OperatorResult} body: as is;</li>
 * <li>a Map body with {@code artifacts} and/or {@code results}: a success with those (a results value that is not a
 * map becomes {@code {"value": it}});</li>
 * <li>no body: a success with empty results; any other body: {@code results = {"value": body}}.</li>
 * </ul>
 */
final class SandaiRouteResults {
    private SandaiRouteResults() {
    }

    /**
     * @throws OperatorFailure for a route exception or a reply that cannot be a result
     */
    static OperatorResult toResult(Exchange exchange) {
        Exception error = exchange.getException();
        if (error != null) {
            throw failure(exchange.getMessage(), error, exchange.getException(OperatorFailure.class));
        }
        return withDeclaredOutputs(fromBody(exchange.getMessage()), exchange.getMessage());
    }

    /** Adds the outputs of header CamelSandaiOutputs (slot to file, or to a list of files) as local artifacts. */
    private static OperatorResult withDeclaredOutputs(OperatorResult result, Message message) {
        Map<?, ?> outputs = message.getHeader(SandaiConstants.OUTPUTS, Map.class);
        if (outputs == null || outputs.isEmpty()) {
            return result;
        }
        List<Artifact> artifacts = new ArrayList<>(result.artifacts());
        outputs.forEach((slot, files) -> {
            for (Object file : files instanceof Collection<?> many ? many : List.of(files)) {
                artifacts.add(StagingOperatorHandler.output(String.valueOf(slot), asPath(file)));
            }
        });
        return new OperatorResult(result.status(), artifacts, result.results(), result.error());
    }

    private static Path asPath(Object file) {
        if (file instanceof Path path) {
            return path;
        }
        if (file instanceof File f) {
            return f.toPath();
        }
        if (file != null && !String.valueOf(file).isBlank()) {
            return Path.of(String.valueOf(file));
        }
        throw new OperatorFailure("InvalidOutput", "header " + SandaiConstants.OUTPUTS + " names no file", false);
    }

    static OperatorFailure failure(Message message, Exception error, OperatorFailure typed) {
        Throwable shown = typed != null ? typed : unwrapCamel(error);
        String typeHeader = message.getHeader(SandaiConstants.ERROR_TYPE, String.class);
        Boolean retryableHeader = message.getHeader(SandaiConstants.RETRYABLE, Boolean.class);
        String type = typeHeader != null ? typeHeader : typed != null ? typed.type() : shown.getClass().getSimpleName();
        boolean retryable = retryableHeader != null ? retryableHeader : typed != null && typed.retryable();
        String text = shown.getMessage() != null ? shown.getMessage() : shown.getClass().getSimpleName();
        return new OperatorFailure(type, text, retryable, error);
    }

    /** Camel wraps checked exceptions in RuntimeCamelException; the route author thinks of the cause. */
    private static Throwable unwrapCamel(Throwable error) {
        Throwable t = error;
        while (t.getClass() == RuntimeCamelException.class && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static OperatorResult fromBody(Message message) {
        Object body = message.getBody();
        if (body == null) {
            return OperatorResult.success(List.of(), Map.of());
        }
        if (body instanceof OperatorResult result) {
            return result;
        }
        if (body instanceof Map<?, ?> map && (map.containsKey("artifacts") || map.containsKey("results"))) {
            return OperatorResult.success(artifacts(map.get("artifacts")), results(map.get("results")));
        }
        return OperatorResult.success(List.of(), Map.of("value", plain(body, message)));
    }

    private static List<Artifact> artifacts(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new OperatorFailure("InvalidResultFormat", "reply \"artifacts\" must be a list of {\"uri\", \"slot\"} "
                                                             + "maps or Artifacts, got " + value.getClass().getName(),
                    false);
        }
        List<Artifact> artifacts = new ArrayList<>(list.size());
        for (Object item : list) {
            try {
                artifacts.add(item instanceof Artifact a ? a : Artifact.fromMap(item));
            } catch (IllegalArgumentException e) {
                throw new OperatorFailure("InvalidResultFormat", "reply artifact: " + e.getMessage(), false, e);
            }
        }
        return artifacts;
    }

    private static Map<String, Object> results(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> results = new LinkedHashMap<>();
            map.forEach((k, v) -> results.put(String.valueOf(k), v));
            return results;
        }
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("value", value);
        return wrapped;
    }

    /** Values the serializers carry as they are; anything else as its text (Camel type conversion). */
    private static Object plain(Object body, Message message) {
        if (body instanceof String || body instanceof Number || body instanceof Boolean || body instanceof Map
            || body instanceof List) {
            return body;
        }
        String text = message.getBody(String.class);
        return text != null ? text : String.valueOf(body);
    }
}
