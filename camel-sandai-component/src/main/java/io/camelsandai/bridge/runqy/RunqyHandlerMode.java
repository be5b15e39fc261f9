package io.camelsandai.bridge.runqy;

/** How runqy handler processes are used: runqy's {@code long_running} ({@code run()}) or {@code one_shot} ({@code run_once()}). */
public enum RunqyHandlerMode {
    /** {@code processes} children started once, each serving many tasks (runqy-python {@code run()}). */
    LONG_RUNNING,
    /** A new child per task, which answers one request and exits (runqy-python {@code run_once()}). */
    ONE_SHOT;

    /** Reads {@code long-running}, {@code long_running}, {@code one-shot}, {@code one_shot} (any case). */
    public static RunqyHandlerMode parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        return switch (t) {
            case "long_running" -> LONG_RUNNING;
            case "one_shot" -> ONE_SHOT;
            default -> throw new IllegalArgumentException("mode must be long-running or one-shot, got '" + text + "'");
        };
    }
}
