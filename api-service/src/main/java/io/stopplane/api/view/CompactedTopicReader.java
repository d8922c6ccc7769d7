package io.stopplane.api.view;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.kafka.DeadLetters;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.ObjectReader;

/**
 * Reads a compacted topic from the beginning, then follows it, into a {@link Sink}. No consumer group: every API
 * instance keeps the whole table. Reads only committed records. A topic that does not exist yet is an empty table (its
 * owner creates it; this reader never does) and the reader keeps waiting for it. A record that cannot be read goes to
 * {@code <topic>-dlt} and is counted ({@link DeadLetters}), and the table goes on without it (keeping the key's previous
 * value, if any): a poison record never stops the reader. As only a key's last record in a batch is parsed, a poison
 * record followed by a readable one of the same key in the same batch is superseded unread, as compaction would do.
 * Its consumer's metrics (lag among them) are on the meter registry, tagged {@code reader=<topic>}.
 */
final class CompactedTopicReader<V> implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicReader.class);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(1);

    /** Where records go: a value, a tombstone, and once, the end of what existed when the reader started. */
    record Sink<V>(BiConsumer<String, V> put, Consumer<String> remove, Runnable caughtUp) {
    }

    private final String topic;
    private final Class<V> type;
    private final Map<String, Object> consumerConfig;
    private final Sink<V> sink;
    private final MeterRegistry meters;
    private final DeadLetters deadLetters;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean caughtUp = new AtomicBoolean();
    private final ObjectReader reader;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile KafkaClientMetrics consumerMetrics;
    private Thread thread;

    CompactedTopicReader(String topic, Class<V> type, Map<String, Object> consumerConfig, Sink<V> sink,
            MeterRegistry meters, DeadLetters deadLetters) {
        this.topic = topic;
        this.deadLetters = deadLetters;
        this.type = type;
        this.consumerConfig = consumerConfig;
        this.sink = sink;
        this.reader = StopPlaneJson.mapper().readerFor(type);
        this.meters = meters;
    }

    boolean caughtUp() {
        return caughtUp.get();
    }

    @Override
    public void start() {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A metadata request must never create the topic: it would be created without compaction.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // Values are parsed here, not by the consumer: of a key's records in one batch only the last is parsed.
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        // A consumer Spring did not create: Boot's listener does not see it, so bind its metrics here.
        consumerMetrics = new KafkaClientMetrics(consumer, Tags.of("reader", topic));
        consumerMetrics.bindTo(meters);
        running.set(true);
        thread = new Thread(this::run, topic + "-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running.get()) {
                poll();
                if (!caughtUp.get()
                        && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    markCaughtUp();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("{} reader failed", topic, e);
        } finally {
            consumerMetrics.close();
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void poll() {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty()) {
            return;
        }
        for (ConsumerRecord<String, byte[]> r : LatestPerKey.of(records)) {
            if (r.value() == null) {
                sink.remove().accept(r.key());
                continue;
            }
            try {
                V value = reader.readValue(r.value());
                if (value != null) {
                    sink.put().accept(r.key(), value);
                }
            } catch (RuntimeException e) {
                // unreadable, or a value the table refuses: either way this record, not the reader, is the problem
                deadLetters.send(DeadLetters.raw(r), e);
            }
        }
    }

    /** The topic's owner creates it; until then the table is empty, and complete. */
    private List<TopicPartition> awaitPartitions() {
        while (running.get()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            if (!caughtUp.get()) {
                LOG.info("topic {} does not exist yet: an empty table until it does", topic);
                markCaughtUp();
            }
            pause();
        }
        throw new WakeupException();
    }

    /** A missing topic answers at once: look again a second later, not in a tight loop. */
    private void pause() {
        try {
            Thread.sleep(TOPIC_RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    private void markCaughtUp() {
        caughtUp.set(true);
        sink.caughtUp().run();
        LOG.info("{} caught up", topic);
    }

    @Override
    public void stop() {
        running.set(false);
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }
}
