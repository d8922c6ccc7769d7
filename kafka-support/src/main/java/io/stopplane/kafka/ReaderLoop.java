package io.stopplane.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of a reader's own (no group, no commits: {@link TopicFollower#readerConfig}) polled on a daemon thread
 * until stopped: what every reader of a whole topic needs around its records, written once.
 *
 * <ul>
 *   <li>A failing broker or a timeout does not end it: it logs, waits a second and goes on from where the consumer
 *       was (a reader that died would leave a stale table, or agents without commands).</li>
 *   <li>A topic that does not exist yet is waited for ({@link #partitions}), never created by the reader's metadata
 *       requests (it would be created without its configs).</li>
 *   <li>Stopping wakes the consumer (the one call that is safe from another thread) and joins the thread.</li>
 *   <li>The consumer's metrics (lag among them) are on the meter registry, tagged {@code reader=<topic>}: Boot's
 *       listener does not see a consumer Spring did not create.</li>
 * </ul>
 */
public final class ReaderLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ReaderLoop.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofMillis(500);

    /** What a reader does with its consumer; both run on the loop's thread. */
    public interface Reader {

        /** Assigns partitions and seeks; after a failure it runs again, a second later, until it returns. */
        void position(KafkaConsumer<String, byte[]> consumer);

        /** The records of one poll, maybe none; {@code consumer} is there for positions. */
        void take(ConsumerRecords<String, byte[]> records, KafkaConsumer<String, byte[]> consumer);

        /** A reader of two methods of its owner, e.g. {@code Reader.of(this::position, this::take)}. */
        static Reader of(Consumer<KafkaConsumer<String, byte[]>> position,
                BiConsumer<ConsumerRecords<String, byte[]>, KafkaConsumer<String, byte[]>> take) {
            return new Reader() {
                @Override
                public void position(KafkaConsumer<String, byte[]> consumer) {
                    position.accept(consumer);
                }

                @Override
                public void take(ConsumerRecords<String, byte[]> records, KafkaConsumer<String, byte[]> consumer) {
                    take.accept(records, consumer);
                }
            };
        }
    }

    private final String topic;
    private final String role;
    private final Map<String, Object> consumerConfig;
    private final MeterRegistry meters;
    private final Reader reader;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /**
     * @param role what the reader is, in its thread's name and its log lines ({@code follower}, {@code feed})
     * @param consumerConfig a reader's settings ({@link TopicFollower#readerConfig})
     * @param meters where the consumer's metrics go; null for none
     */
    public ReaderLoop(String topic, String role, Map<String, Object> consumerConfig, MeterRegistry meters,
            Reader reader) {
        this.topic = topic;
        this.role = role;
        this.consumerConfig = consumerConfig;
        this.meters = meters;
        this.reader = reader;
    }

    public void start() {
        // Values are parsed by the reader, not the consumer: it may parse only the records it keeps.
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        running.set(true);
        thread = new Thread(this::run, topic + "-" + role);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        KafkaClientMetrics metrics = null;
        boolean positioned = false;
        try {
            if (meters != null) {
                metrics = new KafkaClientMetrics(consumer, Tags.of("reader", topic));
                metrics.bindTo(meters);
            }
            while (running.get()) {
                try {
                    if (!positioned) {
                        reader.position(consumer);
                        positioned = true;
                    }
                    reader.take(consumer.poll(POLL), consumer);
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warn("{} {}: {}; trying again in {} s", topic, role, e.toString(), RETRY.toSeconds());
                    pause();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } finally {
            if (metrics != null) {
                metrics.close();
            }
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /**
     * The topic's partitions once it exists (from {@link Reader#position}); while it does not, {@code whileMissing}
     * runs and the loop looks again a second later.
     */
    public List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, Runnable whileMissing) {
        while (running.get()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            whileMissing.run();
            pause();
        }
        throw new WakeupException();
    }

    /** A missing topic answers at once, a failing broker may too: look again a second later, not in a tight loop. */
    private static void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

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

    public boolean isRunning() {
        return running.get();
    }
}
