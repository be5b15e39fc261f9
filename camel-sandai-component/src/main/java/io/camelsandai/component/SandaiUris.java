package io.camelsandai.component;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.util.URISupport;

import io.camelsandai.transport.RedisUrl;

/**
 * Builds the URI an endpoint shows (logs, JMX, toString, error messages) so that no secret reaches it: Redis URL
 * passwords are masked, and so are the secret options (Camel masks any option whose name contains "password").
 */
final class SandaiUris {
    private static final String[] REDIS_URL_OPTIONS = { "brokerUrl", "resultBackendUrl" };

    private SandaiUris() {
    }

    static String sanitizedEndpointUri(String uri, String remaining,
                                       Map<String, Object> parameters) {
        Map<String, Object> shown = new LinkedHashMap<>(parameters);
        for (String option : REDIS_URL_OPTIONS) {
            Object value = shown.get(option);
            if (value != null) {
                shown.put(option, RedisUrl.sanitize(String.valueOf(value)));
            }
        }
        String scheme = uri.substring(0, uri.indexOf(':'));
        String base = scheme + "://" + remaining;
        String query = shown.isEmpty() ? "" : "?" + URISupport.createQueryString(shown);
        return URISupport.sanitizeUri(base + query);
    }

    /** Masks Redis URL passwords in any text (such as an exception message that quotes a URI). */
    static String sanitizeText(String text) {
        return text == null ? null : URISupport.sanitizeUri(RedisUrl.sanitize(text));
    }
}
