package io.camelsandai.transport;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Process-wide, reference-counted resources: clients whose sharing key is equal get the same resource, and the
 * resource is closed when the last of them releases it.
 */
public final class SharedRegistry<K, R extends AutoCloseable> {
    private final Map<K, Entry<R>> entries = new HashMap<>();

    private static final class Entry<R> {
        final R resource;
        int references;

        Entry(R resource) {
            this.resource = resource;
        }
    }

    public synchronized R acquire(K key, Function<K, R> factory) {
        Entry<R> entry = entries.get(key);
        if (entry == null) {
            entry = new Entry<>(factory.apply(key));
            entries.put(key, entry);
        }
        entry.references++;
        return entry.resource;
    }

    /** @return true when this was the last reference and the resource was closed */
    public boolean release(K key, R resource) {
        R toClose = null;
        synchronized (this) {
            Entry<R> entry = entries.get(key);
            if (entry == null || entry.resource != resource) {
                return false;
            }
            if (--entry.references == 0) {
                entries.remove(key);
                toClose = entry.resource;
            }
        }
        if (toClose != null) {
            try {
                toClose.close();
            } catch (Exception e) {
                // closing a pool that lost its server is not worth failing a close() for
            }
            return true;
        }
        return false;
    }

    public synchronized int size() {
        return entries.size();
    }
}
