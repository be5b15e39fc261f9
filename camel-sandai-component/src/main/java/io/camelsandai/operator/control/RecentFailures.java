package io.camelsandai.operator.control;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last few tasks this worker did not complete successfully (failed, deadline exceeded, refused and
 * dead-lettered), newest first, for the dev console: what an operator on call asks first. Bounded, so a burst of
 * failures costs a fixed amount of memory; messages are cut to a line, since they come from the network.
 */
public final class RecentFailures {
    public static final int DEFAULT_SIZE = 20;
    private static final int MAX_MESSAGE_CHARS = 300;

    private final int size;
    private final Deque<Map<String, Object>> entries = new ArrayDeque<>();

    public RecentFailures(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1");
        }
        this.size = size;
    }

    /**
     * @param taskId  the task id, or null when the message had none
     * @param outcome the status written ({@code failed}, {@code deadline_exceeded}) or {@code refused}
     * @param type    the error type, e.g. {@code InvalidRequest}, {@code MessageTooLarge}
     */
    public void record(String taskId, String outcome, String type, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("time", Instant.now().toString());
        e.put("taskId", taskId);
        e.put("outcome", outcome);
        e.put("type", type);
        e.put("message", oneLine(message));
        synchronized (entries) {
            entries.addFirst(e);
            while (entries.size() > size) {
                entries.removeLast();
            }
        }
    }

    /** Newest first; a copy. */
    public List<Map<String, Object>> snapshot() {
        synchronized (entries) {
            return new ArrayList<>(entries);
        }
    }

    private static String oneLine(String message) {
        if (message == null) {
            return null;
        }
        String line = message.replaceAll("\\s+", " ").trim();
        return line.length() <= MAX_MESSAGE_CHARS ? line : line.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
