package io.camelsandai.examples;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class BatchCallRoutesTest extends ExampleTestSupport {

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        return new RoutesBuilder[] { new TextStatsOperatorRoute(), new BatchCallRoutes() };
    }

    @Test
    void oneEntryPerTextInOrderAndAFailureHidesNothing() {
        List<String> texts = Arrays.asList("a b c", null, "one", "x y");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries = template.requestBody("direct:text-stats-batch", texts, List.class);

        assertEquals(4, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            assertEquals(i, entries.get(i).get("index"));
            assertNotNull(entries.get(i).get("task_id"));
        }
        assertEquals(List.of("success", "failed", "success", "success"),
                entries.stream().map(e -> e.get("status")).toList());
        assertEquals(3L, ((Map<?, ?>) entries.get(0).get("results")).get("words"));
        assertEquals(1L, ((Map<?, ?>) entries.get(2).get("results")).get("words"));
        assertEquals(2L, ((Map<?, ?>) entries.get(3).get("results")).get("words"));
        assertNull(entries.get(0).get("error"));
        assertEquals("InvalidOptions", ((Map<?, ?>) entries.get(1).get("error")).get("type"));
    }
}
