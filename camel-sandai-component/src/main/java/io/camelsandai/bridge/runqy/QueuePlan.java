package io.camelsandai.bridge.runqy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The order in which a worker tries its queues on each take. Either strict (always the configured order: the first
 * queue wins while it has tasks) or weighted by runqy sub-queue priority: each take draws an order at random,
 * a queue coming first with probability priority / sum of priorities, so a high-priority sub-queue is served
 * mostly first without starving the others (runqy-worker repeats each sub-queue {@code priority} times in its
 * dequeue list for the same purpose).
 */
final class QueuePlan {
    private final List<AsynqKeys> queues;
    private final int[] weights;
    private final Random random;

    private QueuePlan(List<AsynqKeys> queues, int[] weights, Random random) {
        this.queues = List.copyOf(queues);
        this.weights = weights;
        this.random = random;
    }

    static QueuePlan strict(List<AsynqKeys> queues) {
        return new QueuePlan(queues, null, null);
    }

    /** {@code priorities} parallel to {@code queues}; a priority below 1 counts as 1. */
    static QueuePlan weighted(List<AsynqKeys> queues, List<Integer> priorities, Random random) {
        int[] w = new int[queues.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.max(1, priorities.get(i));
        }
        return new QueuePlan(queues, w, random);
    }

    /** Every queue once, for maintenance. */
    List<AsynqKeys> all() {
        return queues;
    }

    /** The order for one take. */
    List<AsynqKeys> nextOrder() {
        if (weights == null || queues.size() < 2) {
            return queues;
        }
        List<AsynqKeys> left = new ArrayList<>(queues);
        List<Integer> leftWeights = new ArrayList<>();
        int total = 0;
        for (int w : weights) {
            leftWeights.add(w);
            total += w;
        }
        List<AsynqKeys> order = new ArrayList<>(queues.size());
        while (!left.isEmpty()) {
            int pick = random.nextInt(total);
            int i = 0;
            while (pick >= leftWeights.get(i)) {
                pick -= leftWeights.get(i);
                i++;
            }
            order.add(left.remove(i));
            total -= leftWeights.remove(i);
        }
        return order;
    }

    @Override
    public String toString() {
        if (weights == null) {
            return queues.toString();
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < queues.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(queues.get(i)).append(" (").append(weights[i]).append(')');
        }
        return sb.append(']').toString();
    }
}
