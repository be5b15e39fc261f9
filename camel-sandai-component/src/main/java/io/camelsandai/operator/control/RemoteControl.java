package io.camelsandai.operator.control;

/**
 * Celery remote control ("pidbox") and worker events for one worker, on whichever broker it runs:
 * {@link RedisRemoteControl} or {@link AmqpRemoteControl}. Both share the command handling of {@link PidboxNode}.
 */
public interface RemoteControl extends AutoCloseable {

    /** Starts listening for broadcasts and sending {@code worker-online}, then heartbeats. */
    void start();

    /** True while the worker answers {@code celery inspect}. */
    boolean isListening();

    String nodeName();

    /** Stops listening, removes this node's queue and sends {@code worker-offline}. Never throws. */
    @Override
    void close();

    /** Test hook: stops without telling the broker anything, as a killed process would. */
    void halt();
}
