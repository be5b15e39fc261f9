package io.camelsandai.util;

import java.util.ArrayList;
import java.util.List;

/** Lists users write as comma separated text ({@code "video, audio"}). */
public final class CommaList {
    private CommaList() {
    }

    /** The items of {@code text}, trimmed, blank ones dropped; empty for null. */
    public static List<String> split(String text) {
        List<String> items = new ArrayList<>();
        if (text == null) {
            return items;
        }
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                items.add(part.trim());
            }
        }
        return items;
    }
}
