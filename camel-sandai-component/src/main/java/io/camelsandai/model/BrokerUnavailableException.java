package io.camelsandai.model;

/**
 * The task could not be handed to Redis because Redis is unreachable, restarting or failing over. Nothing was
 * answered on the task's behalf: the caller decides whether to send again (Celery's {@code OperationalError}).
 */
public class BrokerUnavailableException extends SandaiException {
    private static final long serialVersionUID = 1L;

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
