package io.camelsandai.transport;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.camelsandai.model.ClientPoolTimeoutException;
import io.camelsandai.model.SandaiException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import static io.camelsandai.transport.InfrastructureFailures.isInfrastructure;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one rule: which Redis errors are the infrastructure's (never a task outcome) and which are real errors. */
class InfrastructureFailuresTest {

    @Test
    void outagesAndTransientRepliesAreInfrastructure() {
        assertTrue(isInfrastructure(new JedisConnectionException("Connection refused")));
        assertTrue(isInfrastructure(new JedisConnectionException(new SocketTimeoutException("Read timed out"))));
        assertTrue(isInfrastructure(new ConnectException("Connection refused")));
        assertTrue(isInfrastructure(new TimeoutException()));
        assertTrue(isInfrastructure(new ClientPoolTimeoutException("broker", Duration.ofSeconds(5))));
        for (String reply : new String[] {"LOADING Redis is loading the dataset in memory",
            "READONLY You can't write against a read only replica.", "MASTERDOWN Link with MASTER is down",
            "BUSY Redis is busy running a script", "NOREPLICAS Not enough good replicas to write."}) {
            assertTrue(isInfrastructure(new JedisDataException(reply)), reply);
        }
    }

    @Test
    void wrappedOnesAreFoundInTheCauseChain() {
        Exception inner = new JedisConnectionException("Unexpected end of stream.");
        assertTrue(isInfrastructure(new CompletionException(new ExecutionException(inner))));
        assertTrue(isInfrastructure(new IllegalStateException("cannot check the cancel key", new TimeoutException())));
    }

    @Test
    void realErrorsAreNot() {
        assertFalse(isInfrastructure(new JedisDataException("NOPERM this user has no permissions to run 'eval'")));
        assertFalse(isInfrastructure(new JedisDataException("ERR Error running script: attempt to compare nil")));
        assertFalse(isInfrastructure(new JedisNoScriptException("NOSCRIPT No matching script")));
        assertFalse(isInfrastructure(new JedisDataException("LOADINGX not a reply Redis gives")));
        assertFalse(isInfrastructure(new IllegalArgumentException("bad kwargs")));
        assertFalse(isInfrastructure(new SandaiException("result backend is closed")));
        assertFalse(isInfrastructure(null));
    }
}
