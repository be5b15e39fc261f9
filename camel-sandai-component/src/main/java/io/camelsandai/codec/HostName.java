package io.camelsandai.codec;

import java.net.InetAddress;

/** The short host name Celery puts in {@code origin} and worker names. */
public final class HostName {
    private static final String NAME = resolve();

    private HostName() {
    }

    public static String get() {
        return NAME;
    }

    private static String resolve() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
