package io.camelsandai.artifact;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Turns names from the network (task ids, slots, URI file names) into single, harmless path segments, and builds
 * child URIs under a base such as {@code s3://bucket/outputs/}.
 */
public final class ArtifactNames {
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final int MAX_SEGMENT = 200;

    private ArtifactNames() {
    }

    /** A segment made of {@code [A-Za-z0-9._-]} only, never empty, never {@code .} or {@code ..}. */
    public static String segment(String raw, String fallback) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        String s = UNSAFE.matcher(raw).replaceAll("_");
        if (s.length() > MAX_SEGMENT) {
            s = s.substring(s.length() - MAX_SEGMENT);
        }
        if (s.chars().allMatch(c -> c == '.')) {
            return fallback;
        }
        return s;
    }

    /** The file name an artifact URI ends with, made safe; {@code artifact} when the URI ends with a slash. */
    public static String fileName(String uri) {
        String path;
        try {
            path = new URI(uri).getPath();
        } catch (java.net.URISyntaxException e) {
            path = uri;
        }
        if (path == null) {
            path = "";
        }
        return segment(path.substring(path.lastIndexOf('/') + 1), "artifact");
    }

    /** {@code base} (with or without a trailing slash) followed by safe segments joined by slashes. */
    public static String child(String base, String... segments) {
        StringBuilder sb = new StringBuilder(base);
        for (String segment : segments) {
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '/') {
                sb.append('/');
            }
            sb.append(segment);
        }
        return sb.toString();
    }
}
