/**
 * Celery remote control ("pidbox") for the operator runtime: answers {@code celery inspect ping/active/registered/
 * stats/active_queues/revoked}, {@code celery status} and Flower, and records {@code revoke}s so that revoked tasks
 * end {@code REVOKED} without running. {@link io.camelsandai.operator.control.WorkerState} is the only thing the
 * runtime itself touches.
 */
package io.camelsandai.operator.control;
