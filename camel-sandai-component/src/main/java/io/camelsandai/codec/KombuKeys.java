package io.camelsandai.codec;

import java.util.ArrayList;
import java.util.List;

/** Redis key names of kombu's Redis transport. */
public final class KombuKeys {
    /** kombu's separator between a queue name and its priority step, and inside binding entries. */
    public static final String SEP = "\u0006\u0016";
    /** kombu's default priority steps; 0 is the plain queue key. */
    public static final int[] PRIORITY_STEPS = {0, 3, 6, 9};
    public static final String UNACKED = "unacked";
    public static final String UNACKED_INDEX = "unacked_index";
    public static final String UNACKED_MUTEX = "unacked_mutex";

    private KombuKeys() {
    }

    /** The list a message of Celery priority {@code priority} lands in (kombu rounds to the nearest lower step). */
    public static String priorityList(String queue, int priority) {
        int step = 0;
        for (int s : PRIORITY_STEPS) {
            if (priority >= s) {
                step = s;
            }
        }
        return step == 0 ? queue : queue + SEP + step;
    }

    /** The keys a worker polls for one queue, in kombu's order: plain key first, then steps 3, 6, 9. */
    public static List<String> pollOrder(String queue) {
        List<String> keys = new ArrayList<>(PRIORITY_STEPS.length);
        for (int step : PRIORITY_STEPS) {
            keys.add(step == 0 ? queue : queue + SEP + step);
        }
        return keys;
    }

    /** {@code _kombu.binding.<queue>}: the set naming the queue's bindings on the default exchange. */
    public static String bindingKey(String queue) {
        return "_kombu.binding." + queue;
    }

    /** The binding member for the default exchange: routing key, empty pattern, queue. */
    public static String bindingMember(String queue) {
        return queue + SEP + SEP + queue;
    }
}
