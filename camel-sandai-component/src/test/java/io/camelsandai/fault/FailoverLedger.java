package io.camelsandai.fault;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelsandai.codec.KombuKeys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

/**
 * The books of a failover test, kept without {@code WAIT}: what each producer was told succeeded, what ran, which
 * results arrived, and what the promoted replica held right after the failover. A task whose send was acknowledged
 * but which never got a result is "lost"; it is <em>explained</em> when the snapshot of the new master shows that
 * the old master acknowledged a write that it never replicated (the send itself, or the worker's result write), and
 * <em>unexplained</em> otherwise (a bug).
 */
final class FailoverLedger {
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    /** Acknowledged before the latest kill: only these can have been lost with a dead master. */
    final Set<String> acknowledgedBeforeKill = ConcurrentHashMap.newKeySet();
    final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    final Map<String, String> finalStatus = new ConcurrentHashMap<>();
    final AtomicInteger sendRetries = new AtomicInteger();
    /** One per failover: what was acknowledged before the kill, what had run, and what the new master held. */
    private record Snapshot(Set<String> acknowledgedBeforeKill, Set<String> ran, Set<String> onNewMaster,
                            Set<String> resultOnNewMaster) {
    }

    private final List<Snapshot> snapshots = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean killed;

    void ran(String id) {
        runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    }

    void acknowledged(String id) {
        acknowledged.add(id);
        if (!killed) {
            acknowledgedBeforeKill.add(id);
        }
    }

    void killed() {
        killed = true;
    }

    /**
     * Between failovers of a soak: sends acknowledged from now on count as "before the next kill" again. The
     * snapshots accumulate, so a task is explained by any failover that could have lost it.
     */
    void resumed() {
        killed = false;
    }

    /** One MULTI on the new master: every queue list, the unacked hash and the result keys, at one instant. */
    void snapshot(Jedis newMaster, Collection<String> queues, Collection<String> ids) {
        Set<String> ranBeforeSnapshot = Set.copyOf(runs.keySet());
        Set<String> onNewMaster = new java.util.HashSet<>();
        Set<String> resultOnNewMaster = new java.util.HashSet<>();
        List<String> idList = new ArrayList<>(ids);
        Transaction tx = newMaster.multi();
        List<Response<List<String>>> lists = new ArrayList<>();
        for (String q : queues) {
            for (String list : KombuKeys.pollOrder(q)) {
                lists.add(tx.lrange(list, 0, -1));
            }
        }
        Response<List<String>> unacked = tx.hvals(KombuKeys.UNACKED);
        Response<List<String>> results = idList.isEmpty() ? null
                : tx.mget(idList.stream().map(id -> "celery-task-meta-" + id).toArray(String[]::new));
        tx.exec();
        StringBuilder all = new StringBuilder();
        lists.forEach(r -> r.get().forEach(all::append));
        unacked.get().forEach(all::append);
        String text = all.toString();
        for (int i = 0; i < idList.size(); i++) {
            String id = idList.get(i);
            boolean result = results != null && results.get().get(i) != null;
            if (result) {
                resultOnNewMaster.add(id);
            }
            if (result || text.contains(id)) {
                onNewMaster.add(id);
            }
        }
        snapshots.add(new Snapshot(Set.copyOf(acknowledgedBeforeKill), ranBeforeSnapshot, onNewMaster,
                resultOnNewMaster));
    }

    void result(String id, String status) {
        finalStatus.put(id, status);
    }

    /** The counts every fault test reports. */
    record Report(int sent, int results, int lost, int lostUnreplicatedSend, int lostUnreplicatedResult,
                  int lostUnexplained, int wronglyFailed, int runTwice, int sendRetries, Set<String> unexplained,
                  Set<String> explained) {
        @Override
        public String toString() {
            return "sent=" + sent + " results=" + results + " lost=" + lost + " (send not replicated="
                   + lostUnreplicatedSend + ", result not replicated=" + lostUnreplicatedResult + ", unexplained="
                   + lostUnexplained + ") wronglyFailed=" + wronglyFailed + " runTwice=" + runTwice
                   + " sendRetries=" + sendRetries + (unexplained.isEmpty() ? "" : " unexplained ids=" + unexplained)
                   + (explained.isEmpty() ? "" : " lost with the old master (not replicated): " + explained);
        }
    }

    Report report() {
        int lost = 0;
        int unreplicatedSend = 0;
        int unreplicatedResult = 0;
        Set<String> unexplained = new TreeSet<>();
        Set<String> explained = new TreeSet<>();
        for (String id : acknowledged) {
            if (finalStatus.containsKey(id)) {
                continue;
            }
            lost++;
            String why = null;
            for (Snapshot s : snapshots) {
                if (!s.acknowledgedBeforeKill().contains(id) || s.onNewMaster().contains(id)) {
                    continue;
                }
                // not on the new master: the old master took the push (or, for one that had run, the result and
                // the ack) and died before its replica got it
                why = s.ran().contains(id) ? "result" : "send";
            }
            if (why == null) {
                unexplained.add(id);
                continue;
            }
            explained.add(id + "(" + why + ")");
            if (why.equals("send")) {
                unreplicatedSend++;
            } else {
                unreplicatedResult++;
            }
        }
        int wronglyFailed = (int) finalStatus.values().stream().filter(s -> !"success".equals(s)).count();
        int runTwice = (int) runs.values().stream().filter(n -> n.get() > 1).count();
        return new Report(acknowledged.size(), finalStatus.size(), lost, unreplicatedSend, unreplicatedResult,
                unexplained.size(), wronglyFailed, runTwice, sendRetries.get(), unexplained, explained);
    }
}
