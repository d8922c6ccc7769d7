package io.stopplane.api.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.kafka.TopicFollower;
import io.stopplane.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A replay refused on every replica: each nonce a replica accepts is published to {@code api-nonces} (key: the key id
 * and the nonce, value: the request's signed timestamp in epoch milliseconds), and every replica follows that topic into
 * its own {@link NonceCache}. What is left is a race: a copy of the request that reaches another replica before that
 * replica has read the record (one produce and one fetch, typically milliseconds; while the broker is unreachable, as
 * long as it is) is accepted there too. Publishing is not waited for, so an unreachable broker never holds up a call;
 * a send that fails is counted ({@code stopplane.api.nonces.unshared}).
 */
final class NonceSharing implements Authenticator.NonceListener, TopicFollower.Table, AutoCloseable {

    private final NonceCache cache;
    private final Clock clock;
    private final KafkaProducer<String, String> producer;
    private final Counter unshared;

    NonceSharing(NonceCache cache, Clock clock, Map<String, Object> producerConfig, MeterRegistry meters) {
        this.cache = cache;
        this.clock = clock;
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
        this.unshared = Counter.builder("stopplane.api.nonces.unshared")
                .description("accepted signature nonces that could not be published to the other replicas")
                .register(meters);
    }

    @Override
    public void accepted(String key, Instant at) {
        try {
            producer.send(new ProducerRecord<>(Topics.API_NONCES.name(), key, String.valueOf(at.toEpochMilli())),
                    (metadata, e) -> {
                        if (e != null) {
                            unshared.increment();
                        }
                    });
        } catch (RuntimeException e) {
            unshared.increment(); // e.g. the metadata wait timed out: this replica still refuses the replay itself
        }
    }

    @Override
    public void put(ConsumerRecord<String, byte[]> record) {
        long at = Long.parseLong(new String(record.value(), StandardCharsets.UTF_8).trim());
        cache.remember(record.key(), Instant.ofEpochMilli(at), clock.instant());
    }

    @Override
    public void remove(String key) {
        // nonces are never deleted by a record: they expire
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
