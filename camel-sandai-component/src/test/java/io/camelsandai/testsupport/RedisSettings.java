package io.camelsandai.testsupport;

import java.time.Duration;

/** What a {@link RedisServerExtension} was asked for (builder output, immutable). */
record RedisSettings(String password, String aclUser, String aclPassword, boolean tls, RedisKind forcedKind,
                     Duration startupTimeout) {

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
