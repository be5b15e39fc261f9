package io.camelsandai.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What a {@link RedisServerExtension} was asked for (builder output, immutable). */
record RedisSettings(String password, String aclUser, String aclPassword, boolean tls, RedisKind forcedKind,
                     Duration startupTimeout, boolean appendOnly, List<String> extraArgs, Map<String, String> env) {

    RedisSettings {
        extraArgs = List.copyOf(extraArgs);
        env = Map.copyOf(env);
    }

    /** AOF, extra arguments and environment (a clock shim) need the redis-server process we start ourselves. */
    boolean needsBinary() {
        return needsSecurity() || appendOnly || !extraArgs.isEmpty() || !env.isEmpty();
    }

    /** Password, ACL and TLS need a redis-server we configure ourselves (the binary on PATH). */
    boolean needsSecurity() {
        return password != null || aclUser != null || tls;
    }

    /** The user our own clients authenticate as (null = the default user). */
    String clientUser() {
        return aclUser;
    }

    /** The password our own clients send (ACL user's, else requirepass, else none). */
    String clientPassword() {
        return aclUser != null ? aclPassword : password;
    }
}
