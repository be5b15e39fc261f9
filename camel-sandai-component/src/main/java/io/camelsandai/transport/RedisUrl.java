package io.camelsandai.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code redis://[user:password@]host[:port][/db]} or {@code rediss://...} (TLS). A URL with only a password
 * ({@code redis://:secret@host}) uses plain AUTH; with a user name, a Redis 6 ACL user. The password never appears in
 * {@link #toString()} or in any message built from this object.
 */
public final class RedisUrl {
    private final boolean tls;
    private final String host;
    private final int port;
    private final int database;
    private final String user;
    private final String password;

    private RedisUrl(boolean tls, String host, int port, int database, String user, String password) {
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /**
     * @throws IllegalArgumentException with the sanitized URL when it is not a redis:// or rediss:// URL
     */
    public static RedisUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("Redis URL is empty");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Not a valid Redis URL: " + sanitize(url));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("Redis URL must start with redis:// or rediss://: " + sanitize(url));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("Redis URL has no host: " + sanitize(url));
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String rawUser = colon < 0 ? userInfo : userInfo.substring(0, colon);
            String rawPassword = colon < 0 ? null : userInfo.substring(colon + 1);
            user = rawUser.isEmpty() ? null : decode(rawUser);
            password = rawPassword == null || rawPassword.isEmpty() ? null : decode(rawPassword);
            if (colon < 0) {
                // redis://secret@host is how redis-py spells a password without user
                password = user;
                user = null;
            }
        }
        int db = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                db = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Redis URL database must be a number: " + sanitize(url));
            }
        }
        return new RedisUrl(scheme.equals("rediss"), uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), db, user,
                password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Masks the password of any Redis URL text, even one that does not parse. */
    public static String sanitize(String url) {
        if (url == null) {
            return null;
        }
        return url.replaceAll("(?<=://)([^:@/]*):[^@/]*@", "$1:***@").replaceAll("(?<=://)([^:@/]+)@", "***@");
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

    public int database() {
        return database;
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
        return o instanceof RedisUrl r && tls == r.tls && port == r.port && database == r.database
               && host.equals(r.host) && Objects.equals(user, r.user) && Objects.equals(password, r.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tls, host, port, database, user, password);
    }

    /** Sanitized: {@code redis://user:***@host:port/db}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(tls ? "rediss://" : "redis://");
        if (user != null || password != null) {
            sb.append(user == null ? "" : user).append(password == null ? "" : ":***").append('@');
        }
        return sb.append(host).append(':').append(port).append('/').append(database).toString();
    }
}
