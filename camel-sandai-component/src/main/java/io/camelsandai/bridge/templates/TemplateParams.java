package io.camelsandai.bridge.templates;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.RouteTemplateContext;

import io.camelsandai.codec.Durations;
import io.camelsandai.util.CommaList;

/** Reads route template parameters with clear errors naming the template and the parameter. */
final class TemplateParams {
    private final String template;
    private final RouteTemplateContext rtc;

    TemplateParams(String template, RouteTemplateContext rtc) {
        this.template = template;
        this.rtc = rtc;
    }

    /** The value, or null when absent or blank. */
    String text(String name) {
        Object v = rtc.getProperty(name);
        if (v == null) {
            return null;
        }
        String s = String.valueOf(v).trim();
        return s.isEmpty() ? null : s;
    }

    String required(String name) {
        String v = text(name);
        if (v == null) {
            throw new IllegalArgumentException(template + ": parameter " + name + " is required");
        }
        return v;
    }

    int integer(String name, int fallback) {
        String v = text(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(template + ": parameter " + name + " must be a whole number, got '" + v + "'");
        }
    }

    boolean bool(String name, boolean fallback) {
        String v = text(name);
        return v == null ? fallback : Boolean.parseBoolean(v);
    }

    /** Read by {@link Durations}: {@code 300} (seconds), {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code PT5M}; null when absent. */
    Duration duration(String name) {
        String v = text(name);
        return v == null ? null : Durations.parse(template + ": parameter " + name, v);
    }

    List<String> list(String name) {
        return CommaList.split(text(name));
    }

    /**
     * A mapping given either inline as properties text ({@code key.operator=whisper}, entries separated by new
     * lines or {@code ;}) in parameter {@code textName}, or as the name of a bean (a Map or Properties) in parameter
     * {@code beanName}; keys get {@code prefix.} in front when they do not have it yet.
     */
    Map<String, Object> mapping(String textName, String beanName, String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        String text = text(textName);
        if (text != null) {
            Properties p = new Properties();
            try {
                p.load(new StringReader(text.replace(';', '\n')));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException(template + ": parameter " + textName + " is not properties text: "
                                                   + e.getMessage());
            }
            p.forEach((k, v) -> out.put(prefixed(prefix, String.valueOf(k)), v));
        }
        String bean = text(beanName);
        if (bean != null) {
            Object found = rtc.getCamelContext().getRegistry().lookupByName(bean.startsWith("#") ? bean.substring(1) : bean);
            if (!(found instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(template + ": parameter " + beanName + " must name a bean that is a "
                                                   + "Map or Properties, got " + (found == null ? "none" : found.getClass().getName()));
            }
            map.forEach((k, v) -> out.put(prefixed(prefix, String.valueOf(k)), v));
        }
        return out;
    }

    private static String prefixed(String prefix, String key) {
        return key.startsWith(prefix + ".") ? key : prefix + "." + key;
    }
}
