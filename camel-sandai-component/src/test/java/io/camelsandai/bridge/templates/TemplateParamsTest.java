package io.camelsandai.bridge.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.DefaultRouteTemplateContext;
import org.junit.jupiter.api.Test;

import io.camelsandai.codec.Durations;

/** Route template parameters read durations with the component's rule, and name template and parameter on error. */
class TemplateParamsTest {

    @Test
    void durationParametersFollowTheOneRule() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            DefaultRouteTemplateContext rtc = new DefaultRouteTemplateContext(context);
            rtc.setParameter("taskTimeout", "300");
            rtc.setParameter("pollInterval", "500ms");
            rtc.setParameter("lease", "PT2M");
            rtc.setParameter("resultTimeout", "-5");
            TemplateParams p = new TemplateParams("sandai-to-runqy", rtc);

            assertEquals(Duration.ofSeconds(300), p.duration("taskTimeout"), "a bare number is seconds");
            assertEquals(Duration.ofMillis(500), p.duration("pollInterval"));
            assertEquals(Duration.ofMinutes(2), p.duration("lease"));
            assertNull(p.duration("absent"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.duration("resultTimeout"));
            assertTrue(e.getMessage().startsWith("sandai-to-runqy: parameter resultTimeout: '-5' is negative"),
                    e.getMessage());
            assertTrue(e.getMessage().contains(Durations.ACCEPTED_FORMS), e.getMessage());
        }
    }
}
