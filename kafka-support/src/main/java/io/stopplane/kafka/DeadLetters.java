package io.stopplane.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

/**
 * What every StopPlane consumer does with a record it cannot read or process: it hands it here and goes on with the
 * next one. The record goes, as it was read (raw key and value bytes, its own headers), to {@code <topic>-dlt}, on the
 * same partition number, through spring-kafka's {@link DeadLetterPublishingRecoverer}, so with its standard headers:
 * {@code kafka_dlt-original-topic}, {@code -original-partition}, {@code -original-offset}, {@code -original-timestamp},
 * {@code -original-consumer-group} (when the consumer has a group), {@code -exception-fqcn},
 * {@code -exception-cause-fqcn}, {@code -exception-message}, {@code -exception-stacktrace}. It is counted on the
 * Micrometer counter {@code stopplane.dead.letters} tagged {@code service} and {@code topic} (the original topic).
 *
 * <p>Never throws: a dead letter that cannot be written (broker away, topic missing) is logged with the record's
 * coordinates, and still counted; the consumer goes on either way, so a poison record never stops it. The producer is
 * idempotent, non-transactional and created on the first dead letter only.
 *
 * <p>The services create the dead-letter topics they write (the names are {@link #topicOf(String)}), and declare them
 * in their own sources as {@code Topics.X.name() + "-dlt"} so the compose file's topic initialiser can be checked.
 */
public final class DeadLetters implements AutoCloseable {

    /** The counter of records sent to a dead-letter topic. */
    public static final String METER = "stopplane.dead.letters";
    /** spring-kafka's default: a dead letter of {@code t} goes to {@code t-dlt}. */
    public static final String SUFFIX = "-dlt";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final String service;
    private final MeterRegistry meters;
    private final DefaultKafkaProducerFactory<byte[], byte[]> producers;
    private final DeadLetterPublishingRecoverer recoverer;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /**
     * @param producerConfig the service's producer settings (a transactional id is dropped)
     * @param service the {@code service} tag: {@code api-service}, {@code agent-consumer}, {@code dispatcher}
     * @param topics the topics the service reads, whose counters are registered at 0 right away
     */
    public DeadLetters(Map<String, Object> producerConfig, MeterRegistry meters, String service, String... topics) {
        this.service = service;
        this.meters = meters;
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, service + "-dead-letters");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // A consumer waits for its dead letter: bounded, so a broker that is away holds it up for seconds, not minutes.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        this.producers = new DefaultKafkaProducerFactory<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.recoverer = new DeadLetterPublishingRecoverer(new KafkaTemplate<>(producers));
        this.recoverer.setPartitionInfoTimeout(Duration.ofSeconds(5));
        for (String topic : topics) {
            counter(topic);
        }
    }

    /** The dead-letter topic of a topic. */
    public static String topicOf(String topic) {
        return topic + SUFFIX;
    }

    /** A record read with a String key and raw value, as the raw record the dead-letter topic gets. */
    public static ConsumerRecord<byte[], byte[]> raw(ConsumerRecord<String, byte[]> r) {
        byte[] key = r.key() == null ? null : r.key().getBytes(UTF_8);
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                key == null ? -1 : key.length, r.value() == null ? -1 : r.value().length, key, r.value(), r.headers(),
                r.leaderEpoch());
    }

    /** Dead-letters a record read without a consumer group (no {@code original-consumer-group} header). */
    public boolean send(ConsumerRecord<byte[], byte[]> record, Exception cause) {
        return send(record, null, cause);
    }

    /**
     * Dead-letters a record; with the consumer that read it (on its own thread, and only a consumer with a group), the
     * headers name its group: the cause is then wrapped as a listener container would, in a
     * {@link ListenerExecutionFailedException} carrying the group, so {@code -exception-fqcn} names that wrapper and
     * {@code -exception-cause-fqcn} the cause, as in any spring-kafka listener's dead letters.
     *
     * @return whether the dead-letter topic acknowledged it
     */
    public boolean send(ConsumerRecord<byte[], byte[]> record, Consumer<?, ?> consumer, Exception cause) {
        counter(record.topic()).increment();
        // spring-kafka takes the original-consumer-group header from the exception, as its listener containers wrap it
        String group = consumer == null ? null : consumer.groupMetadata().groupId();
        Exception reported = group == null ? cause
                : new ListenerExecutionFailedException(String.valueOf(cause.getMessage()), group, cause);
        try {
            recoverer.accept(record, consumer, reported);
            LOG.warn(origin(record) + " could not be read, sent to " + topicOf(record.topic()) + ": " + cause);
            return true;
        } catch (RuntimeException e) {
            LOG.error(origin(record) + " could not be read (" + cause + ") nor sent to " + topicOf(record.topic())
                    + ": skipped", e);
            return false;
        }
    }

    private static String origin(ConsumerRecord<?, ?> r) {
        return r.topic() + "-" + r.partition() + "@" + r.offset();
    }

    private Counter counter(String topic) {
        return counters.computeIfAbsent(topic, t -> Counter.builder(METER).tag("service", service).tag("topic", t)
                .description("records that could not be read or processed and went to their dead-letter topic")
                .register(meters));
    }

    @Override
    public void close() {
        producers.destroy();
    }
}
