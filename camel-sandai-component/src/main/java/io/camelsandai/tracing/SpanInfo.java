package io.camelsandai.tracing;

/**
 * What a send or run span is about; any member may be null when the side does not know it.
 *
 * @param taskName        the Celery task name (span name suffix, {@code celery.task_name})
 * @param taskId          the Celery task id ({@code messaging.message.id})
 * @param queue           the queue ({@code messaging.destination.name})
 * @param operatorName    the Sandai operator
 * @param operatorVersion its version
 * @param priority        the Sandai priority's wire name
 */
public record SpanInfo(String taskName, String taskId, String queue, String operatorName, String operatorVersion,
                       String priority) {
}
