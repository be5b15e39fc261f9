package io.camelsandai.transport.amqp;

import java.util.Locale;
import java.util.Objects;

import io.camelsandai.transport.UrlParts;

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
        boolean tls = text.substring(0, text.indexOf("://")).equalsIgnoreCase("amqps");
        UrlParts parts = UrlParts.of(text, "AMQP", sanitize(text));
        String host = parts.host();
        if (!parts.bracketed() && !host.isEmpty() && !host.matches("[A-Za-z0-9._~%-]+")) {
            throw new IllegalArgumentException("Not a valid AMQP URL host: " + sanitize(text));
        }
        int port = parts.port(tls ? DEFAULT_TLS_PORT : DEFAULT_PORT, "AMQP", sanitize(text));
        String path = parts.path();
        String vhost = UrlParts.unquote(path.startsWith("/") ? path.substring(1) : path);
        String user = UrlParts.unquote(parts.rawUser());
        String password = UrlParts.unquote(parts.rawPassword());
        return new AmqpUrl(tls, host.isEmpty() ? "localhost" : UrlParts.unquote(host).toLowerCase(Locale.ROOT), port,
                vhost.isEmpty() ? DEFAULT_VHOST : vhost,
                user == null || user.isEmpty() ? DEFAULT_USER : user,
                password == null || password.isEmpty() ? DEFAULT_USER : password);
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
