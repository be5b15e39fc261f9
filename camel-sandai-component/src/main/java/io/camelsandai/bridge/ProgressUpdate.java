package io.camelsandai.bridge;

/**
 * An operator's progress report ({@code PROGRESS} state, result {@code {"progress": 0-100, "message": ...}}).
 *
 * @param percent 0 to 100, clamped
 * @param message free text; may be null
 */
public record ProgressUpdate(double percent, String message) {

    public ProgressUpdate {
        percent = Double.isNaN(percent) ? 0 : Math.max(0, Math.min(100, percent));
    }

    /** The percentage rounded to a whole number, as dashboards show it. */
    public int wholePercent() {
        return (int) Math.round(percent);
    }
}
