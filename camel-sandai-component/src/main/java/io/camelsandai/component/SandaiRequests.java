package io.camelsandai.component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.camelsandai.model.OperatorRequest;

/** Reads producer message bodies as operator requests; anything that is not one is refused with the expected shape. */
final class SandaiRequests {
    private static final Set<String> REQUEST_KEYS = Set.of("input_artifacts", "options", "meta");

    private SandaiRequests() {
    }

    /**
     * @throws IllegalArgumentException naming {@link OperatorRequest#EXPECTED_SHAPE} for anything else
     */
    static OperatorRequest toRequest(Object body) {
        if (body instanceof OperatorRequest request) {
            return request;
        }
        if (body instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                if (!REQUEST_KEYS.contains(String.valueOf(key))) {
                    throw new IllegalArgumentException(OperatorRequest.EXPECTED_SHAPE + " or an OperatorRequest; "
                                                       + "unexpected key \"" + key + "\"");
                }
            }
            return OperatorRequest.fromKwargs(map);
        }
        throw new IllegalArgumentException(OperatorRequest.EXPECTED_SHAPE + " or an OperatorRequest, got "
                                           + (body == null ? "no body" : body.getClass().getName()));
    }

    /** A batch body: a list (or array) of requests. */
    static List<OperatorRequest> toRequests(Object body) {
        List<?> items;
        if (body instanceof List<?> list) {
            items = list;
        } else if (body instanceof Object[] array) {
            items = List.of(array);
        } else {
            throw new IllegalArgumentException("a batch body must be a List of requests, each "
                                               + OperatorRequest.EXPECTED_SHAPE.replaceFirst("^an operator request must be ", "")
                                               + " or an OperatorRequest, got "
                                               + (body == null ? "no body" : body.getClass().getName()));
        }
        List<OperatorRequest> requests = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            try {
                requests.add(toRequest(items.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("batch entry " + i + ": " + e.getMessage(), e);
            }
        }
        return requests;
    }
}
