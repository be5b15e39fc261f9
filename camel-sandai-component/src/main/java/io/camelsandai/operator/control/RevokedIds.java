package io.camelsandai.operator.control;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Task ids revoked through remote control, bounded like Celery's {@code worker_state.revoked} (a LimitedSet of at most
 * 50 000 ids, each forgotten 3 hours after it was added): memory stays bounded whatever clients send.
 *
 * <p>Timestamps are monotonic seconds ({@link System#nanoTime()}), as Python's {@code time.monotonic()} that Celery
 * stores and exchanges with other workers in the mingle {@code hello} reply.
 */
final class RevokedIds {
    static final int DEFAULT_MAX = 50_000;
    static final double DEFAULT_EXPIRES_SECONDS = 10_800;

    private final int max;
    private final double expiresSeconds;
    /** Insertion order = age order: re-adding an id moves it to the end. */
    private final LinkedHashMap<String, Double> added = new LinkedHashMap<>();

    RevokedIds(int max, double expiresSeconds) {
        this.max = max;
        this.expiresSeconds = expiresSeconds;
    }

    static double monotonicSeconds() {
        return System.nanoTime() / 1e9;
    }

    synchronized void add(String id, double at) {
        added.remove(id);
        added.put(id, at);
        purge();
    }

    synchronized void addAll(Collection<String> ids) {
        double now = monotonicSeconds();
        for (String id : ids) {
            added.remove(id);
            added.put(id, now);
        }
        purge();
    }

    synchronized boolean contains(String id) {
        purge();
        return added.containsKey(id);
    }

    synchronized List<String> ids() {
        purge();
        return new ArrayList<>(added.keySet());
    }

    /** Celery's {@code LimitedSet._data} shape: {@code {id: [inserted, id]}}. */
    synchronized Map<String, Object> asCeleryData() {
        purge();
        Map<String, Object> data = new LinkedHashMap<>();
        added.forEach((id, at) -> data.put(id, List.of(at, id)));
        return data;
    }

    private void purge() {
        double oldest = monotonicSeconds() - expiresSeconds;
        Iterator<Map.Entry<String, Double>> it = added.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Double> e = it.next();
            if (added.size() > max || e.getValue() < oldest) {
                it.remove();
            } else {
                break;
            }
        }
    }
}
