package io.camelsandai.artifact;

import java.net.URLConnection;
import java.util.Locale;
import java.util.Map;

/** Guesses a MIME type from a file name; the JDK table lacks the media types operators mostly move. */
final class ContentTypes {
    static final String OCTET_STREAM = "application/octet-stream";

    private static final Map<String, String> EXTRA = Map.ofEntries(
            Map.entry("mp4", "video/mp4"), Map.entry("mov", "video/quicktime"), Map.entry("webm", "video/webm"),
            Map.entry("mkv", "video/x-matroska"), Map.entry("mp3", "audio/mpeg"), Map.entry("wav", "audio/wav"),
            Map.entry("flac", "audio/flac"), Map.entry("json", "application/json"), Map.entry("txt", "text/plain"),
            Map.entry("csv", "text/csv"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("webp", "image/webp"), Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"), Map.entry("srt", "application/x-subrip"),
            Map.entry("vtt", "text/vtt"), Map.entry("npy", "application/octet-stream"));

    private ContentTypes() {
    }

    static String guess(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot >= 0) {
            String known = EXTRA.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
            if (known != null) {
                return known;
            }
        }
        String jdk = URLConnection.guessContentTypeFromName(fileName);
        return jdk != null ? jdk : OCTET_STREAM;
    }
}
