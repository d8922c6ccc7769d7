package io.stopplane.audit.timeline;

import io.stopplane.audit.output.Format;
import io.stopplane.audit.replay.EventLog;
import io.stopplane.audit.replay.RecordSink;
import io.stopplane.audit.replay.ReplayStats;
import io.stopplane.audit.replay.TopicReader;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.state.InvocationState;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.core.JacksonException;

/**
 * {@code audit timeline}: replays {@code invocation-events} through the dispatcher's fold, so that each event shows what
 * it changed, and prints the events the query selects. One invocation's events are in one partition, in log order;
 * across partitions, events are merged by time without ever reordering a partition.
 */
public final class TimelineCommand {

    private final TopicReader reader;
    private final String topic;
    private final LongAdder unreadable = new LongAdder();
    private ReplayStats stats;

    public TimelineCommand(TopicReader reader, String topic) {
        this.reader = reader;
        this.topic = topic;
    }

    /** Prints the timeline. */
    public void run(TimelineQuery q, PrintStream out) {
        List<TopicPartition> all = reader.partitions(topic);
        // an invocation lives in the partition its id hashes to: the rest of the log need not be read
        List<TopicPartition> partitions = q.invokeId() == null ? all
                : List.of(TopicReader.partitionFor(topic, q.invokeId(), all.size()));
        long untilMillis = q.until() == null ? Long.MAX_VALUE : q.until().plus(TopicReader.SKEW).toEpochMilli();
        boolean json = q.format() == Format.JSON;
        Map<Integer, List<TimelineEntry>> selected = new ConcurrentHashMap<>();
        stats = reader.read(topic, reader.endOffsets(partitions), q.since(), tp -> {
            List<TimelineEntry> entries = new ArrayList<>();
            selected.put(tp.partition(), entries);
            return sink(q, untilMillis, json, entries);
        });
        List<TimelineEntry> ordered = merge(new TreeMap<>(selected));
        if (json) {
            ordered.forEach(e -> JsonLinesFormat.print(e, out));
        } else {
            TableFormat.print(ordered, out);
        }
        out.flush();
    }

    /** One partition's replay: every event folded as the dispatcher folds it, the selected ones kept. */
    private RecordSink sink(TimelineQuery q, long untilMillis, boolean json, List<TimelineEntry> entries) {
        Map<String, InvocationState> states = new HashMap<>();
        return r -> {
            if (r.timestamp() > untilMillis) {
                return false;
            }
            if (r.key() == null || r.value() == null || (q.invokeId() != null && !q.invokeId().equals(r.key()))) {
                return true;
            }
            InvocationEvent event;
            try {
                event = EventLog.event(r.value());
            } catch (JacksonException | IllegalArgumentException e) {
                unreadable.increment();
                return true;
            }
            InvocationState before = states.get(r.key());
            InvocationState after = EventLog.fold(before, event);
            if (after != before) {
                states.put(r.key(), after);
            }
            if (q.matches(event, before, after)) {
                entries.add(TimelineEntry.of(r.partition(), r.offset(), event, before, after,
                        json ? JsonLinesFormat.oneLine(r.value()) : null));
            }
            return true;
        };
    }

    public ReplayStats stats() {
        return stats;
    }

    /** Records of the topic that are not events the dispatcher could read (it dead-letters them). */
    public long unreadable() {
        return unreadable.sum();
    }

    /** Merges the partitions' lists by event time; each list keeps its own order. */
    static List<TimelineEntry> merge(Map<Integer, List<TimelineEntry>> byPartition) {
        List<TimelineEntry> out = new ArrayList<>();
        PriorityQueue<Cursor> heads = new PriorityQueue<>(Comparator
                .comparing((Cursor c) -> c.head().event().occurredAt())
                .thenComparingInt(c -> c.head().partition()));
        byPartition.values().stream().filter(l -> !l.isEmpty()).forEach(l -> heads.add(new Cursor(l)));
        while (!heads.isEmpty()) {
            Cursor c = heads.poll();
            out.add(c.head());
            if (c.advance()) {
                heads.add(c);
            }
        }
        return out;
    }

    private static final class Cursor {
        private final List<TimelineEntry> entries;
        private int next;

        Cursor(List<TimelineEntry> entries) {
            this.entries = entries;
        }

        TimelineEntry head() {
            return entries.get(next);
        }

        boolean advance() {
            return ++next < entries.size();
        }
    }
}
