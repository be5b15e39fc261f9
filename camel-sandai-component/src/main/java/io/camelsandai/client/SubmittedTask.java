package io.camelsandai.client;

/**
 * One entry of a structured batch submit, in input order: the handle when the send worked, else the send error.
 *
 * @param index       position in the input list
 * @param handle      the sent task, or null
 * @param submitError why the send failed, or null
 */
public record SubmittedTask(int index, TaskHandle handle, Exception submitError) {

    public boolean submitted() {
        return handle != null;
    }

    public String taskId() {
        return handle == null ? null : handle.id();
    }
}
