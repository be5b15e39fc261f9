package io.camelsandai.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A broker URL split as Python's {@code urllib.parse.urlparse} splits it, which is how redis-py, kombu and Celery read
 * both {@code redis://} and {@code amqp://} URLs: the user info ends at the <em>last</em> {@code @} of the authority,
 * the user at its <em>first</em> {@code :}; the path ends at the first {@code ?} or {@code #}. What each part means
 * (a database number, a virtual host, defaults) is for {@link RedisUrl} and {@code AmqpUrl} to say; nothing here is
 * decoded except by {@link #unquote}.
 *
 * @param rawUser     the user as written, or null without user info
 * @param rawPassword the password as written, or null when the user info has no {@code :}
 * @param host        the host as written, without IPv6 brackets
 * @param bracketed   true for an IPv6 literal ({@code [::1]})
 * @param portText    the port as written, or null
 * @param path        the path, up to the query or fragment
 */
public record UrlParts(String rawUser, String rawPassword, String host, boolean bracketed, String portText,
        String path) {

    /**
     * @param text      the URL; it contains {@code ://}
     * @param kind      the kind of URL for messages ("Redis", "AMQP")
     * @param sanitized the URL with its password masked, for messages
     */
    public static UrlParts of(String text, String kind, String sanitized) {
        int start = text.indexOf("://") + 3;
        int end = start;
        while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        String netloc = text.substring(start, end);
        String rest = text.substring(end);
        String user = null;
        String password = null;
        int at = netloc.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = netloc.substring(0, at);
            netloc = netloc.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            password = colon < 0 ? null : userInfo.substring(colon + 1);
        }
        String host;
        String portText = null;
        boolean bracketed = netloc.startsWith("[");
        if (bracketed) {
            int close = netloc.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("Not a valid " + kind + " URL: " + sanitized);
            }
            host = netloc.substring(1, close);
            if (close + 1 < netloc.length() && netloc.charAt(close + 1) == ':') {
                portText = netloc.substring(close + 2);
            }
        } else {
            int colon = netloc.indexOf(':');
            host = colon < 0 ? netloc : netloc.substring(0, colon);
            portText = colon < 0 ? null : netloc.substring(colon + 1);
        }
        int pathEnd = rest.length();
        for (char c : new char[] { '?', '#' }) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < pathEnd) {
                pathEnd = i;
            }
        }
        return new UrlParts(user, password, host, bracketed, portText, rest.substring(0, pathEnd));
    }

    /** The port written, else {@code defaultPort}; a port that is no number in 0..65535 is refused. */
    public int port(int defaultPort, String kind, String sanitized) {
        if (portText == null || portText.isEmpty()) {
            return defaultPort;
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(kind + " URL port must be a number: " + sanitized);
        }
        return port;
    }

    /**
     * {@code urllib.parse.unquote}: {@code %XX} sequences are UTF-8 bytes, a malformed one is kept as written, and
     * {@code +} is not a space (that is form decoding, which neither redis-py nor kombu use).
     */
    public static String unquote(String s) {
        if (s == null || s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                i += Character.charCount(cp);
            }
        }
        // Python decodes with errors="replace"; so does new String(bytes, UTF_8).
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
