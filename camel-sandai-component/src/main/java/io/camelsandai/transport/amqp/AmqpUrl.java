package io.camelsandai.transport.amqp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * A RabbitMQ (AMQP 0-9-1) location as kombu reads a Celery {@code broker_url}:
 * {@code amqp://[user[:password]@]host[:port][/vhost]}, or {@code amqps://...} for TLS.
 *
 * <p>Kombu ({@code kombu.utils.url.url_to_parts}) takes the path without its first {@code /} as the virtual host, then
 * url-decodes it; an empty one means the transport's default, {@code /}. So {@code amqp://h//} and {@code amqp://h/}
 * and {@code amqp://h} are vhost {@code /}, {@code amqp://h/foo} is {@code foo}, {@code amqp://h/%2Ffoo} is
 * {@code /foo}. User and password are url-decoded too and default to {@code guest}/{@code guest} (py-amqp's transport
 * defaults), the host to {@code localhost}, the port to 5672 ({@code amqp}) or 5671 ({@code amqps}). The query string
 * (kombu transport options) is ignored.
 *
 * <p>The password never appears in {@link #toString()} or in any exception built here.
 */
public final class AmqpUrl {
    public static final int DEFAULT_PORT = 5672;
    public static final int DEFAULT_TLS_PORT = 5671;
    public static final String DEFAULT_VHOST = "/";
    static final String DEFAULT_USER = "guest";

    private final boolean tls;
    private final String host;
    private final int port;
    private final String virtualHost;
    private final String user;
    private final String password;

    private AmqpUrl(boolean tls, String host, int port, String virtualHost, String user, String password) {
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.virtualHost = virtualHost;
        this.user = user;
        this.password = password;
    }

    /** True when this broker URL selects the AMQP transport ({@code amqp://} or {@code amqps://}, any case). */
    public static boolean isAmqp(String url) {
        if (url == null) {
            return false;
        }
        String s = url.trim().toLowerCase(Locale.ROOT);
        return s.startsWith("amqp://") || s.startsWith("amqps://");
    }

    /**
     * @throws IllegalArgumentException with the sanitized URL when it is not an amqp:// or amqps:// URL
     */
    public static AmqpUrl parse(String url) {
        if (!isAmqp(url)) {
            throw new IllegalArgumentException("AMQP URL must start with amqp:// or amqps://: " + sanitize(url));
        }
        String text = url.trim();
        int start = text.indexOf("://") + 3;
        boolean tls = text.substring(0, start - 3).equalsIgnoreCase("amqps");
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
            user = unquote(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : unquote(userInfo.substring(colon + 1));
        }
        String host;
        String portText = null;
        if (netloc.startsWith("[")) {
            int close = netloc.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("Not a valid AMQP URL: " + sanitize(text));
            }
            host = netloc.substring(1, close);
            if (close + 1 < netloc.length() && netloc.charAt(close + 1) == ':') {
                portText = netloc.substring(close + 2);
            }
        } else {
            int colon = netloc.indexOf(':');
            host = colon < 0 ? netloc : netloc.substring(0, colon);
            portText = colon < 0 ? null : netloc.substring(colon + 1);
            if (!host.isEmpty() && !host.matches("[A-Za-z0-9._~%-]+")) {
                throw new IllegalArgumentException("Not a valid AMQP URL host: " + sanitize(text));
            }
        }
        int port = tls ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        if (portText != null && !portText.isEmpty()) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("AMQP URL port must be a number: " + sanitize(text));
            }
        }
        int pathEnd = rest.length();
        for (char c : new char[] { '?', '#' }) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < pathEnd) {
                pathEnd = i;
            }
        }
        String path = rest.substring(0, pathEnd);
        String vhost = unquote(path.startsWith("/") ? path.substring(1) : path);
        return new AmqpUrl(tls, host.isEmpty() ? "localhost" : unquote(host).toLowerCase(Locale.ROOT), port,
                vhost.isEmpty() ? DEFAULT_VHOST : vhost,
                user == null || user.isEmpty() ? DEFAULT_USER : user,
                password == null || password.isEmpty() ? DEFAULT_USER : password);
    }

    /** {@code urllib.parse.unquote}: {@code %XX} are UTF-8 bytes, a malformed escape stays, {@code +} stays. */
    static String unquote(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()
                && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                i += Character.charCount(cp);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Masks the password of any AMQP URL text, even one that does not parse. */
    public static String sanitize(String url) {
        if (url == null) {
            return null;
        }
        int sep = url.indexOf("://");
        if (sep < 0) {
            return url;
        }
        int start = sep + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0 && !Character.isWhitespace(url.charAt(end))) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        if (at < start) {
            return url;
        }
        String userInfo = url.substring(start, at);
        int colon = userInfo.indexOf(':');
        return url.substring(0, start) + (colon < 0 ? userInfo : userInfo.substring(0, colon) + ":***")
               + url.substring(at);
    }

    public boolean isTls() {
        return tls;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The decoded virtual host; {@code /} by default. */
    public String virtualHost() {
        return virtualHost;
    }

    public String user() {
        return user;
    }

    /** The secret itself; only for building a connection. */
    public String password() {
        return password;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AmqpUrl a && tls == a.tls && port == a.port && host.equals(a.host)
               && virtualHost.equals(a.virtualHost) && user.equals(a.user) && password.equals(a.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tls, host, port, virtualHost, user);
    }

    /** Sanitized: {@code amqp://user:***@host:5672/vhost} with the vhost url-encoded as kombu would read it back. */
    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "amqps://" : "amqp://") + user + ":***@" + h + ":" + port + "/"
               + virtualHost.replace("%", "%25").replace("/", "%2F");
    }
}
