package io.camelsandai.artifact;

import java.net.URI;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Chooses an {@link ArtifactStore} by URI scheme, the way Camel chooses a component: {@code s3}, {@code file},
 * {@code http} and {@code https} come built in with {@link #standard(ArtifactSettings)}, and any scheme can be
 * (re)registered, e.g. {@code stores.register("gs", myGcsStore)}. Stores registered with a factory are created on
 * first use, so an application that never touches S3 never builds an S3 client (nor looks for credentials).
 */
public final class ArtifactStores implements AutoCloseable {
    private final Map<String, Supplier<ArtifactStore>> factories = new ConcurrentHashMap<>();
    private final Map<String, ArtifactStore> created = new ConcurrentHashMap<>();

    private ArtifactStores() {
    }

    /** No schemes at all; register your own. */
    public static ArtifactStores empty() {
        return new ArtifactStores();
    }

    /** {@code s3} (lazy), {@code file} (confined to the allowed roots), {@code http} and {@code https}. */
    public static ArtifactStores standard(ArtifactSettings settings) {
        ArtifactStores stores = new ArtifactStores();
        stores.register("s3", () -> s3Store(settings));
        stores.register("file", new FileArtifactStore(settings.allowedRoots()));
        HttpArtifactStore http = new HttpArtifactStore(settings);
        stores.register("http", http);
        stores.register("https", http);
        return stores;
    }

    /**
     * The AWS SDK is an optional dependency (the OSGi bundle imports it optionally): without it everything but
     * {@code s3://} works, and an {@code s3://} URI fails here, clearly, instead of with a bare class error.
     */
    private static ArtifactStore s3Store(ArtifactSettings settings) {
        try {
            return new S3ArtifactStore(settings);
        } catch (NoClassDefFoundError e) {
            throw new ArtifactTransferException("s3:// artifacts need the AWS SDK for Java v2 (software.amazon.awssdk"
                    + " s3 and apache-client; in Karaf the camel-sandai-s3 feature), which is missing: "
                    + e.getMessage(), false, e);
        }
    }

    /** Registers (or replaces) the store of a scheme. */
    public ArtifactStores register(String scheme, ArtifactStore store) {
        String key = normalize(scheme);
        factories.put(key, () -> store);
        created.remove(key);
        return this;
    }

    /** Registers a store created on first use. */
    public ArtifactStores register(String scheme, Supplier<ArtifactStore> factory) {
        String key = normalize(scheme);
        factories.put(key, factory);
        created.remove(key);
        return this;
    }

    public boolean supports(String scheme) {
        return scheme != null && factories.containsKey(normalize(scheme));
    }

    public Set<String> schemes() {
        return Collections.unmodifiableSet(new TreeSet<>(factories.keySet()));
    }

    /**
     * The store for a URI.
     *
     * @throws ArtifactAccessDeniedException when the URI has no scheme or no store serves it
     */
    public ArtifactStore storeFor(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw new ArtifactAccessDeniedException("artifact URI has no scheme: " + HttpArtifactStore.shown(uri));
        }
        String key = normalize(scheme);
        Supplier<ArtifactStore> factory = factories.get(key);
        if (factory == null) {
            throw new ArtifactAccessDeniedException("no artifact store for scheme '" + key + "' (known: " + schemes() + ")");
        }
        return created.computeIfAbsent(key, k -> factory.get());
    }

    /** Parses a wire URI; a malformed one is refused like an unknown scheme. */
    public static URI parse(String uri) {
        try {
            return new URI(uri);
        } catch (java.net.URISyntaxException e) {
            throw new ArtifactAccessDeniedException("malformed artifact URI: " + e.getReason());
        }
    }

    public ArtifactStore storeFor(String uri) {
        return storeFor(parse(uri));
    }

    private static String normalize(String scheme) {
        return scheme.toLowerCase(Locale.ROOT);
    }

    /** Closes every store created so far, each once (http and https share one). */
    @Override
    public void close() {
        Map<ArtifactStore, Boolean> distinct = new IdentityHashMap<>();
        created.values().forEach(s -> distinct.put(s, Boolean.TRUE));
        created.clear();
        for (ArtifactStore store : distinct.keySet()) {
            try {
                store.close();
            } catch (Exception ignored) {
                // closing is best effort; one store must not keep the others open
            }
        }
    }
}
