package io.stopplane.audit.verify;

import io.stopplane.audit.replay.EventLog;
import io.stopplane.audit.replay.ReplayStats;
import io.stopplane.audit.replay.TopicReader;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.state.InvocationState;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.core.JacksonException;

/**
 * {@code audit verify}: folds the whole of {@code invocation-events} exactly as the dispatcher does and compares the
 * result with the latest committed record of each key of {@code invocation-state}: each invocation's record with the
 * latest record of each of its targets laid on it. Every difference is a mismatch: a state the log does not produce
 * (target records without their invocation's included), a state missing, or a field that differs.
 *
 * <p>An invocation the dispatcher forgot after its retention (a tombstone on the state topic) while the log's fold
 * says it had finished is expired, not missing: it is skipped and counted. One the log still folds to unfinished, or
 * that has no tombstone, stays a mismatch; a tombstone compacted away (after the topic's delete.retention.ms, 24 h by
 * default) leaves the key absent, and verify then reports it missing.
 *
 * <p>The state topic's end is taken before the log's: the dispatcher commits a state together with the offsets of the
 * events it folded, so the state read can only be behind the log read, never ahead of it. A live system's lag therefore
 * shows as "behind", never as a phantom difference the other way.
 */
public final class VerifyCommand {

    private final TopicReader reader;
    private final String eventsTopic;
    private final String stateTopic;
    private final List<Mismatch> mismatches = new ArrayList<>();
    private final List<ReplayStats> stats = new ArrayList<>();
    private final LongAdder unreadableEvents = new LongAdder();
    private int invocations;
    private int stateRecords;
    private int expired;

    public VerifyCommand(TopicReader reader, String eventsTopic, String stateTopic) {
        this.reader = reader;
        this.eventsTopic = eventsTopic;
        this.stateTopic = stateTopic;
    }

    /** Compares and prints each mismatch and a summary; returns the mismatches. */
    public List<Mismatch> run(PrintStream out) {
        List<TopicPartition> eventPartitions = reader.partitions(eventsTopic);
        List<TopicPartition> statePartitions = reader.partitions(stateTopic);
        Map<TopicPartition, Long> stateEnd = reader.endOffsets(statePartitions);
        Map<TopicPartition, Long> eventsEnd = reader.endOffsets(eventPartitions);

        Map<TopicPartition, Map<String, InvocationState>> folded = new ConcurrentHashMap<>();
        stats.add(reader.read(eventsTopic, eventsEnd, null, tp -> {
            Map<String, InvocationState> states = new HashMap<>();
            folded.put(tp, states);
            return r -> {
                fold(states, r.key(), r.value());
                return true;
            };
        }));
        Map<TopicPartition, Map<String, byte[]>> written = new ConcurrentHashMap<>();
        Set<String> tombstoned = ConcurrentHashMap.newKeySet();
        stats.add(reader.read(stateTopic, stateEnd, null, tp -> {
            Map<String, byte[]> latest = new HashMap<>();
            written.put(tp, latest);
            return r -> {
                if (r.key() != null) {
                    if (r.value() == null) {
                        latest.remove(r.key()); // a tombstone: no state
                        tombstoned.add(r.key());
                    } else {
                        latest.put(r.key(), r.value());
                        tombstoned.remove(r.key());
                    }
                }
                return true;
            };
        }));

        Map<String, InvocationState> expected = merge(folded);
        Map<String, byte[]> latest = merge(written);
        for (String key : tombstoned) {
            InvocationState want = expected.get(key);
            if (want != null && want.invocationStatus().isFinal() && !latest.containsKey(key)) {
                expected.remove(key);
                expired++;
            }
        }
        invocations = expected.size() + expired;
        stateRecords = latest.size();
        Map<String, List<byte[]>> targets = new HashMap<>();
        TreeSet<String> keys = new TreeSet<>(expected.keySet());
        latest.forEach((key, value) -> {
            if (InvocationState.isTargetKey(key)) {
                targets.computeIfAbsent(InvocationState.invokeIdOf(key), k -> new ArrayList<>()).add(value);
            }
            keys.add(InvocationState.invokeIdOf(key));
        });
        Comparison comparison = new Comparison(eventsTopic, stateTopic);
        // parsing a state record costs more than folding an event: use both cores
        mismatches.addAll(new ArrayList<>(keys).parallelStream()
                .map(key -> comparison.of(key, expected.get(key), latest.get(key),
                        targets.getOrDefault(key, List.of())))
                .flatMap(Optional::stream)
                .toList());
        mismatches.forEach(m -> out.println(m.text()));
        out.printf("verify: %s folded into %s%s, %s compared: %s%n", count(stats.get(0).records(), "event"),
                count(invocations, "invocation"), expired == 0 ? "" : String.format(" (%,d expired)", expired),
                count(stateRecords, "state record"),
                mismatches.isEmpty() ? "OK" : count(mismatches.size(), "mismatch"));
        out.flush();
        return List.copyOf(mismatches);
    }

    private static String count(long n, String noun) {
        return String.format("%,d %s", n, n == 1 ? noun : noun.endsWith("h") ? noun + "es" : noun + "s");
    }

    public List<ReplayStats> stats() {
        return List.copyOf(stats);
    }

    /** Finished invocations the dispatcher tombstoned after their retention: skipped, not compared. */
    public int expired() {
        return expired;
    }

    public long unreadableEvents() {
        return unreadableEvents.sum();
    }

    /** One step of the dispatcher: records it cannot read (or without key or value) it skips. */
    private void fold(Map<String, InvocationState> states, String key, byte[] value) {
        if (key == null || value == null) {
            return;
        }
        InvocationEvent event;
        try {
            event = EventLog.event(value);
        } catch (JacksonException | IllegalArgumentException e) {
            unreadableEvents.increment();
            return;
        }
        InvocationState before = states.get(key);
        InvocationState after = EventLog.fold(before, event);
        if (after != before) {
            states.put(key, after);
        }
    }

    private static <V> Map<String, V> merge(Map<TopicPartition, Map<String, V>> byPartition) {
        Map<String, V> all = new HashMap<>(byPartition.values().stream().mapToInt(Map::size).sum() * 4 / 3 + 16);
        byPartition.values().forEach(all::putAll);
        return all;
    }

    /** One key whose state is not what the log says it should be. */
    public record Mismatch(String invokeId, String detail) {

        public String text() {
            return "MISMATCH " + invokeId + ": " + detail;
        }
    }
}
