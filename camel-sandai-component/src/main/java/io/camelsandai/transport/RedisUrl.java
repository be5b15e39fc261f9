package io.camelsandai.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A Redis location as redis-py, kombu and Celery read it.
 *
 * <ul>
 * <li>{@code redis://[user:password@]host[:port][/db]} or {@code rediss://...} (TLS). A URL with only a password
 * ({@code redis://:secret@host}) uses plain AUTH; with a user name, a Redis 6 ACL user.</li>
 * <li>{@code sentinel://[user:password@]host[:26379][/db];sentinel://host2[:26379]...}: Redis Sentinel, as kombu's
 * {@code SentinelChannel} and Celery's {@code SentinelBackend} read it. Every {@code ;}-separated part names one
 * sentinel; the user, password and db of the <em>first</em> part are those of the master (kombu passes them to
 * {@code Sentinel(..., **connparams)}, that is to the master connections, never to the sentinels). The master name and
 * the sentinels' own password and TLS are not in the URL (kombu: the {@code master_name} and {@code sentinel_kwargs}
 * transport options); they are added with {@link #withSentinel}.</li>
 * </ul>
 *
 * <p>User and password are decoded as redis-py decodes them ({@code urllib.parse.unquote}): {@code %XX} is decoded
 * (UTF-8), a {@code +} stays a {@code +}, a malformed escape stays as written; the user info ends at the last
 * {@code @} of the authority and the user at its first {@code :}, as in {@code urllib.parse.urlparse}.
 *
 * <p>No password (the master's or the sentinels') ever appears in {@link #toString()} or in any message built from
 * this object.
 */
public final class RedisUrl {
    /** Kombu's {@code SentinelTransport.default_port}. */
    public static final int DEFAULT_SENTINEL_PORT = 26379;

    /** One sentinel's address. */
    public record Node(String host, int port) {
        @Override
        public String toString() {
            return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    private final boolean tls;
    private final String host;
    private final int port;
    private final int database;
    private final String user;
    private final String password;
    private final List<Node> sentinels;
    private final String masterName;
    private final String sentinelPassword;
    private final boolean sentinelTls;

    private RedisUrl(boolean tls, String host, int port, int database, String user, String password,
                     List<Node> sentinels, String masterName, String sentinelPassword, boolean sentinelTls) {
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.sentinels = sentinels;
        this.masterName = masterName;
        this.sentinelPassword = sentinelPassword;
        this.sentinelTls = sentinelTls;
    }

    /**
     * @throws IllegalArgumentException with the sanitized URL when it is not a redis://, rediss:// or sentinel:// URL
     */
    public static RedisUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("Redis URL is empty");
        }
        String text = url.trim();
        String scheme = scheme(text);
        if (scheme.equals("sentinel")) {
            return parseSentinel(text);
        }
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException(
                    "Redis URL must start with redis://, rediss:// or sentinel://: " + sanitize(url));
        }
        Parts p = Parts.of(text, 6379);
        return new RedisUrl(scheme.equals("rediss"), p.host, p.port, p.database, p.user, p.password, List.of(), null,
                null, false);
    }

    /** Kombu: every part whose scheme is sentinel names a sentinel; the first part also holds the master's auth and db. */
    private static RedisUrl parseSentinel(String text) {
        List<Node> nodes = new ArrayList<>();
        Parts first = null;
        for (String chunk : text.split(";")) {
            if (chunk.isBlank()) {
                continue;
            }
            String chunkScheme = scheme(chunk.trim());
            if (!chunkScheme.equals("sentinel")) {
                throw new IllegalArgumentException(
                        "Every part of a sentinel URL must start with sentinel://: " + sanitize(text));
            }
            Parts p = Parts.of(chunk.trim(), DEFAULT_SENTINEL_PORT);
            if (first == null) {
                first = p;
            }
            nodes.add(new Node(p.host, p.port));
        }
        if (first == null) {
            throw new IllegalArgumentException("Sentinel URL names no sentinel: " + sanitize(text));
        }
        return new RedisUrl(false, first.host, first.port, first.database, first.user, first.password,
                List.copyOf(nodes), null, null, false);
    }

    private static String scheme(String text) {
        int sep = text.indexOf("://");
        return sep < 0 ? "" : text.substring(0, sep).toLowerCase(Locale.ROOT);
    }

    /** The parts of one URL that redis-py reads. */
    private record Parts(String host, int port, int database, String user, String password) {
        static Parts of(String text, int defaultPort) {
            UrlParts url = UrlParts.of(text, "Redis", sanitize(text));
            String user = url.rawUser() == null || url.rawUser().isEmpty() ? null : UrlParts.unquote(url.rawUser());
            String password = url.rawPassword() == null || url.rawPassword().isEmpty()
                    ? null : UrlParts.unquote(url.rawPassword());
            if (url.rawUser() != null && url.rawPassword() == null) {
                // redis://secret@host is how redis-py spells a password without user
                password = user;
                user = null;
            }
            String host = url.host();
            if (host.isEmpty()) {
                throw new IllegalArgumentException("Redis URL has no host: " + sanitize(text));
            }
            if (!url.bracketed() && !host.matches("[A-Za-z0-9._~-]+")) {
                // what java.net.URI refused before: spaces and other characters no host name has
                throw new IllegalArgumentException("Not a valid Redis URL host: " + sanitize(text));
            }
            int port = url.port(defaultPort, "Redis", sanitize(text));
            int db = 0;
            // redis-py: int(path.replace("/", "")); kombu: the virtual host without its slashes
            String dbText = url.path().replace("/", "");
            if (!dbText.isEmpty()) {
                try {
                    db = Integer.parseInt(dbText);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Redis URL database must be a number: " + sanitize(text));
                }
            }
            return new Parts(host.toLowerCase(Locale.ROOT), port, db, user, password);
        }
    }

    /**
     * This URL with the Sentinel settings that kombu takes from transport options: the master name
     * ({@code master_name}), the sentinels' own password and TLS ({@code sentinel_kwargs}). Ignored for a
     * {@code redis://} URL.
     *
     * @throws IllegalArgumentException for a sentinel URL without a master name, as kombu raises ValueError
     */
    public RedisUrl withSentinel(String masterName, String sentinelPassword, boolean sentinelTls) {
        if (!isSentinel()) {
            return this;
        }
        if (masterName == null || masterName.isBlank()) {
            throw new IllegalArgumentException("A sentinel:// URL needs the master name (option sentinelMasterName, "
                                               + "kombu's master_name transport option): " + this);
        }
        return new RedisUrl(tls, host, port, database, user, password, sentinels, masterName.trim(),
                sentinelPassword == null || sentinelPassword.isEmpty() ? null : sentinelPassword, sentinelTls);
    }

    /** Masks every password of any Redis URL text (also each part of a sentinel URL), even one that does not parse. */
    public static String sanitize(String url) {
        if (url == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(url.length());
        int from = 0;
        while (true) {
            int sep = url.indexOf("://", from);
            if (sep < 0) {
                return sb.append(url, from, url.length()).toString();
            }
            int start = sep + 3;
            sb.append(url, from, start);
            int end = start;
            while (end < url.length() && "/?#;".indexOf(url.charAt(end)) < 0
                   && !Character.isWhitespace(url.charAt(end))) {
                end++;
            }
            int at = url.lastIndexOf('@', end - 1);
            if (at >= start) {
                String userInfo = url.substring(start, at);
                int colon = userInfo.indexOf(':');
                // with no colon the whole user info is a password (redis://secret@host)
                sb.append(colon < 0 ? "***" : userInfo.substring(0, colon) + ":***").append('@');
                from = at + 1;
            } else {
                from = start;
            }
        }
    }

    public boolean isTls() {
        return tls;
    }

    /** The master's host; for a sentinel URL the first sentinel's (the master is asked for at connect time). */
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

    /** True for a {@code sentinel://} URL. */
    public boolean isSentinel() {
        return !sentinels.isEmpty();
    }

    /** The sentinels, in URL order; empty for a plain Redis URL. */
    public List<Node> sentinels() {
        return sentinels;
    }

    /** Kombu's {@code master_name}; null until {@link #withSentinel} set it. */
    public String masterName() {
        return masterName;
    }

    /** The sentinels' own password ({@code sentinel_kwargs={'password': ...}}); only for building a connection. */
    public String sentinelPassword() {
        return sentinelPassword;
    }

    /**
     * TLS to the sentinels and to the master they name (kombu: {@code sentinel_kwargs={'ssl': True}} and
     * {@code broker_use_ssl}).
     */
    public boolean isSentinelTls() {
        return sentinelTls;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisUrl r && tls == r.tls && port == r.port && database == r.database
               && host.equals(r.host) && Objects.equals(user, r.user) && Objects.equals(password, r.password)
               && sentinels.equals(r.sentinels) && Objects.equals(masterName, r.masterName)
               && Objects.equals(sentinelPassword, r.sentinelPassword) && sentinelTls == r.sentinelTls;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tls, host, port, database, user, sentinels, masterName);
    }

    /**
     * Sanitized: {@code redis://user:***@host:port/db}, or for Sentinel
     * {@code sentinel://user:***@h1:26379;sentinel://h2:26379/db [master=mymaster]}.
     */
    @Override
    public String toString() {
        String auth = user != null || password != null
                ? (user == null ? "" : user) + (password == null ? "" : ":***") + "@" : "";
        if (isSentinel()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < sentinels.size(); i++) {
                sb.append(i == 0 ? "sentinel://" + auth : ";sentinel://").append(sentinels.get(i));
            }
            sb.append('/').append(database);
            if (masterName != null) {
                sb.append(" [master=").append(masterName).append(sentinelPassword == null ? "" : ", sentinel auth")
                        .append(sentinelTls ? ", tls" : "").append(']');
            }
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder(tls ? "rediss://" : "redis://").append(auth);
        return sb.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port).append('/')
                .append(database).toString();
    }
}
