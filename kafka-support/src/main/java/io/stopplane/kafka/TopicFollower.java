package io.stopplane.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.json.StopPlaneJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.ObjectReader;

/**
 * Reads a compacted topic from the beginning, then follows it, into a {@link Table}, on a thread of its own: how every
 * table a service keeps is filled (the API's invocation view, agent registry and output index, the dispatcher's
 * heartbeats). No consumer group: every instance reads the whole topic. Reads only committed records.
 *
 * <ul>
 *   <li>A topic that does not exist yet is an empty table, and complete: its owner creates it (never a follower, whose
 *       metadata requests must not create it without compaction), and the follower keeps looking for it.</li>
 *   <li>Of each poll only every key's last record is handed on ({@link LatestPerKey}): a table keeps a key's last
 *       value only. A poison record followed by a readable one of the same key in the same poll is thus superseded
 *       unread, as compaction would do.</li>
 *   <li>A record the table cannot take goes to {@code <topic>-dlt} and is counted ({@link DeadLetters}), and the
 *       follower goes on: a poison record never stops it. The table keeps the key's previous value, if any.</li>
 *   <li>{@link Table#caughtUp()} runs once, when the follower has read what the topic held when it started.</li>
 *   <li>A failing broker does not end it, and its consumer's metrics are on the meter registry ({@link ReaderLoop}).</li>
 * </ul>
 */
public final class TopicFollower implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    /** Where the records go. */
    public interface Table {

        /** A key's value; throws if it cannot be taken (the record is then dead-lettered). */
        void put(ConsumerRecord<String, byte[]> record);

        /** A tombstone. */
        void remove(String key);

        /** Everything the topic held at the start has been read (or the topic does not exist yet). */
        default void caughtUp() {
        }

        /**
         * Records whose key {@code second} accepts go to {@code secondTable}, the others to {@code table}: a topic with
         * two kinds of key and value ({@code invocation-state}: invocations and their targets). Both hear caughtUp.
         */
        static Table byKey(Table table, Predicate<String> second, Table secondTable) {
            return new Table() {
                @Override
                public void put(ConsumerRecord<String, byte[]> record) {
                    (second.test(record.key()) ? secondTable : table).put(record);
                }

                @Override
                public void remove(String key) {
                    (second.test(key) ? secondTable : table).remove(key);
                }

                @Override
                public void caughtUp() {
                    secondTable.caughtUp();
                    table.caughtUp();
                }
            };
        }

        /** A table of JSON values of {@code type}, parsed with the project's mapper. */
        static <V> Table ofJson(Class<V> type, BiConsumer<String, V> put, Consumer<String> remove, Runnable caughtUp) {
            ObjectReader reader = StopPlaneJson.mapper().readerFor(type);
            return new Table() {
                @Override
                public void put(ConsumerRecord<String, byte[]> record) {
                    V value = reader.readValue(record.value());
                    if (value != null) {
                        put.accept(record.key(), value);
                    }
                }

                @Override
                public void remove(String key) {
                    remove.accept(key);
                }

                @Override
                public void caughtUp() {
                    caughtUp.run();
                }
            };
        }
    }

    private final String topic;
    private final Table table;
    private final DeadLetters deadLetters;
    private final AtomicBoolean caughtUp = new AtomicBoolean();
    private final ReaderLoop loop;
    /** Only on the loop's thread. */
    private Map<TopicPartition, Long> end;

    /**
     * @param consumerConfig the service's consumer settings; group, offsets and isolation are the follower's own
     * @param meters where the consumer's metrics go; null for none
     */
    public TopicFollower(String topic, Map<String, Object> consumerConfig, Table table, DeadLetters deadLetters,
            MeterRegistry meters) {
        this.topic = topic;
        this.table = table;
        this.deadLetters = deadLetters;
        this.loop = new ReaderLoop(topic, "follower", readerConfig(consumerConfig), meters,
                ReaderLoop.Reader.of(this::position, this::take));
    }

    /**
     * A service's consumer settings made a table reader's: no group (every instance reads all), no committed offsets,
     * only committed records, from the beginning, and never a topic created by a metadata request (it would be created
     * without compaction). Also for a consumer that reads single records of such a topic at known offsets.
     */
    public static Map<String, Object> readerConfig(Map<String, Object> consumerConfig) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return config;
    }

    public boolean caughtUp() {
        return caughtUp.get();
    }

    @Override
    public void start() {
        loop.start();
    }

    /** Every partition from the beginning; the end offsets to catch up to, unless it is already caught up. */
    private void position(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = loop.partitions(consumer, () -> {
            if (!caughtUp.get()) {
                LOG.info("topic " + topic + " does not exist yet: an empty table until it does");
                markCaughtUp();
            }
        });
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        end = caughtUp.get() ? null : consumer.endOffsets(partitions);
    }

    private void take(ConsumerRecords<String, byte[]> records, KafkaConsumer<String, byte[]> consumer) {
        take(records);
        if (!caughtUp.get() && end != null
                && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            markCaughtUp();
        }
    }

    private void take(ConsumerRecords<String, byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        for (ConsumerRecord<String, byte[]> r : LatestPerKey.of(records)) {
            try {
                if (r.value() == null) {
                    table.remove(r.key());
                } else {
                    table.put(r);
                }
            } catch (RuntimeException e) {
                // unreadable, or a value the table refuses: either way this record, not the follower, is the problem
                deadLetters.send(DeadLetters.raw(r), e);
            }
        }
    }

    private void markCaughtUp() {
        caughtUp.set(true);
        table.caughtUp();
        LOG.info(topic + " caught up");
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
