package io.camelsandai.util;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads with names that say whose they are. Daemon, because a library's background threads must never keep
 * a JVM alive after the application is done; every owner still stops its threads on close.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, ... */
    public static ThreadFactory factory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> thread(prefix + "-" + n.incrementAndGet(), r);
    }

    /** One daemon thread named {@code name}, not started. */
    public static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    /** One daemon thread named {@code name}, started. */
    public static Thread start(String name, Runnable body) {
        Thread t = thread(name, body);
        t.start();
        return t;
    }
}
