package io.stopplane.audit.replay;

import io.stopplane.access.KafkaLogin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads topics from the start, or from a point in time, up to the end they had when asked: an assigned consumer with
 * no group (nothing committed, nothing to clean up), {@code read_committed} (an aborted API transaction never happened),
 * large fetches, values left as bytes so that each is parsed once, by whoever needs it.
 */
public final class TopicReader implements AutoCloseable {

    /**
     * How far a record's timestamp (set by its producer when sending) may trail the event time it carries: a replay
     * from {@code --since} starts this much earlier, and one up to {@code --until} reads this much further.
     */
    public static final Duration SKEW = Duration.ofMinutes(5);

    /** How long a replay waits for writes it saw to be committed (or aborted) before it starts. */
    static final Duration SETTLE = Duration.ofSeconds(5);

    private static final Duration POLL = Duration.ofMillis(500);

    private final String bootstrap;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Progress progress;
    private Admin admin;

    public TopicReader(String bootstrap, Progress progress) {
        this.bootstrap = bootstrap;
        this.consumer = new KafkaConsumer<>(config(bootstrap), new StringDeserializer(), new ByteArrayDeserializer());
        this.progress = progress;
    }

    static Properties config(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.putAll(KafkaLogin.fromEnvironment());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "stopplane-audit");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // An audit must never create the topic it was asked to read.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50_000);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        p.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 4 * 1024 * 1024);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        return p;
    }

    /** The topics the cluster has. */
    public Set<String> topics() {
        return new TreeSet<>(consumer.listTopics().keySet());
    }

    /** The partitions of {@code topic}, in order. */
    public List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new AuditException("no topic " + topic + " on the cluster");
        }
        List<TopicPartition> out = new ArrayList<>();
        infos.forEach(i -> out.add(new TopicPartition(i.topic(), i.partition())));
        out.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        return out;
    }

    /** The one partition the default partitioner puts {@code key} in, as every StopPlane producer does. */
    public static TopicPartition partitionFor(String topic, String key, int partitions) {
        return new TopicPartition(topic,
                Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions);
    }

    /**
     * Where a replay of these partitions ends: everything written by now, once committed. Under read_committed a
     * partition ends at its last stable offset, which trails the log end while a transaction is open and for the moment
     * its commit markers take to land; so this waits (up to {@link #SETTLE}) for the last stable offsets to reach the log
     * ends seen first, and otherwise ends where the committed records end.
     */
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> written = logEnds(partitions);
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            Map<TopicPartition, Long> stable = new HashMap<>(consumer.endOffsets(partitions));
            boolean settled = written.entrySet().stream()
                    .allMatch(e -> stable.getOrDefault(e.getKey(), 0L) >= e.getValue());
            if (settled || System.nanoTime() > deadline) {
                return stable;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return stable;
            }
        }
    }

    private Map<TopicPartition, Long> logEnds(Collection<TopicPartition> partitions) {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(KafkaLogin.fromEnvironment());
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
            admin = Admin.create(config);
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        try {
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                    .get(20, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new AuditException("cannot list the offsets of " + partitions + ": " + e.getMessage(), e);
        }
    }

    /**
     * Hands every record of the given partitions below {@code end} to the partition's sink, in offset order, from the
     * beginning or from the first record time-stamped at or after {@code from - SKEW} ({@code offsetsForTimes}). Each
     * partition's sink is called from one thread at a time; sinks of different partitions run in parallel, so they must
     * not share unsynchronized state.
     */
    public ReplayStats read(String label, Map<TopicPartition, Long> end, Instant from,
            Function<TopicPartition, RecordSink> sinks) {
        progress.start(label);
        long started = System.nanoTime();
        List<TopicPartition> partitions = new ArrayList<>(end.keySet());
        partitions.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        List<TopicPartition> remaining = new ArrayList<>(partitions);
        consumer.assign(remaining);
        seek(remaining, from);
        remaining.removeIf(tp -> consumer.position(tp) >= end.get(tp));
        consumer.pause(consumer.assignment());
        consumer.resume(remaining);
        try (Lanes lanes = new Lanes(partitions, end, sinks)) {
            while (!remaining.isEmpty()) {
                ConsumerRecords<String, byte[]> polled = consumer.poll(POLL);
                for (TopicPartition tp : polled.partitions()) {
                    if (remaining.contains(tp)) {
                        List<ConsumerRecord<String, byte[]>> batch = polled.records(tp);
                        lanes.submit(tp, batch);
                        progress.add(batch.size());
                    }
                }
                lanes.check();
                for (TopicPartition tp : List.copyOf(remaining)) {
                    // position, not the last offset seen: transaction markers take offsets no record has
                    if (lanes.stopped(tp) || consumer.position(tp) >= end.get(tp)) {
                        done(remaining, tp);
                    }
                }
            }
            lanes.drain();
            consumer.unsubscribe();
            ReplayStats stats = new ReplayStats(label, lanes.records(), lanes.bytes(),
                    Duration.ofNanos(System.nanoTime() - started));
            progress.finish(stats);
            return stats;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted while reading " + label, e);
        }
    }

    private void done(List<TopicPartition> remaining, TopicPartition tp) {
        if (remaining.remove(tp)) {
            consumer.pause(List.of(tp));
        }
    }

    private void seek(List<TopicPartition> partitions, Instant from) {
        if (from == null) {
            consumer.seekToBeginning(partitions);
            return;
        }
        long at = from.minus(SKEW).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, Math.max(0, at)));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> ends = null;
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp o = found.get(tp);
            if (o != null) {
                consumer.seek(tp, o.offset());
            } else {
                // nothing that late: the partition has nothing to give
                if (ends == null) {
                    ends = consumer.endOffsets(partitions);
                }
                consumer.seek(tp, ends.get(tp));
            }
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
