package io.stopplane.api.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopplane.api.config.ApiProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.NoProducerAvailableException;

/**
 * The API's producer pool (issue 20): a failed transaction is aborted and its producer reused; a producer whose init,
 * commit or abort failed is replaced by one with the same transactional id; there are never more ids than the pool.
 */
class PublisherPoolTest {

    private final ApiProperties props = new ApiProperties("none", Map.of(), Duration.ofSeconds(5),
            Duration.ofSeconds(20));
    /** Every raw producer the factory created, with the transactional id it was given. */
    private final List<MockProducer<String, Object>> created = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    /** What the next raw producers will do wrong, in order. */
    private final List<Consumer<MockProducer<String, Object>>> faults = new ArrayList<>();
    private final DefaultKafkaProducerFactory<String, Object> factory = PublisherConfig.pooled(
            new DefaultKafkaProducerFactory<String, Object>(PublisherConfig.config(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9"), props)) {
                @Override
                protected Producer<String, Object> createRawProducer(Map<String, Object> configs) {
                    MockProducer<String, Object> p = new MockProducer<>(true, null, new StringSerializer(),
                            (topic, value) -> String.valueOf(value).getBytes());
                    if (!faults.isEmpty()) {
                        faults.remove(0).accept(p);
                    }
                    created.add(p);
                    ids.add((String) configs.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
                    return p;
                }
            });
    private final KafkaTemplate<String, Object> template = new KafkaTemplate<>(factory);

    @AfterEach
    void close() {
        factory.reset();
    }

    @Test
    void aFailedTransactionIsAbortedAndItsProducerReused() {
        assertThatThrownBy(() -> template.executeInTransaction(ops -> {
            ops.send("invocation-events", "k", "v");
            throw new IllegalStateException("sends not acknowledged in time");
        })).isInstanceOf(IllegalStateException.class);
        template.executeInTransaction(ops -> ops.send("invocation-events", "k", "v"));

        assertThat(created).hasSize(1);
        assertThat(created.get(0).closed()).isFalse();
        assertThat(created.get(0).transactionCommitted()).isTrue();
        assertThat(created.get(0).history()).hasSize(1); // the aborted send is gone
    }

    @Test
    void aProducerWhoseCommitTimedOutIsReplacedUnderTheSameTransactionalId() {
        faults.add(p -> p.commitTransactionException = new TimeoutException("Timeout expired while awaiting EndTxn"));
        assertThatThrownBy(() -> template.executeInTransaction(ops -> ops.send("invocation-events", "k", "v")))
                .isInstanceOf(TimeoutException.class);
        template.executeInTransaction(ops -> ops.send("invocation-events", "k", "v"));

        assertThat(created).hasSize(2);
        assertThat(created.get(0).closed()).isTrue();
        assertThat(ids.get(1)).isEqualTo(ids.get(0));
    }

    @Test
    void anInitThatTimedOutIsTriedAgainUnderTheSameTransactionalId() {
        for (int i = 0; i < 5; i++) {
            faults.add(p -> p.initTransactionException =
                    new TimeoutException("Timeout expired after 1666ms while awaiting InitProducerId"));
        }
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> template.executeInTransaction(ops -> ops.send("invocation-events", "k", "v")))
                    .hasRootCauseInstanceOf(TimeoutException.class);
        }
        template.executeInTransaction(ops -> ops.send("invocation-events", "k", "v"));

        assertThat(created).hasSize(6);
        assertThat(ids).containsOnly(ids.get(0));
        assertThat(created.subList(0, 5)).allMatch(MockProducer::closed);
        assertThat(created.get(5).transactionCommitted()).isTrue();
    }

    @Test
    void aFencedProducerIsReplacedUnderTheSameTransactionalId() {
        faults.add(p -> p.commitTransactionException = new ProducerFencedException("a newer epoch exists"));
        assertThatThrownBy(() -> template.executeInTransaction(ops -> ops.send("invocation-events", "k", "v")))
                .isInstanceOf(ProducerFencedException.class);
        template.executeInTransaction(ops -> ops.send("invocation-events", "k", "v"));

        assertThat(created).hasSize(2);
        assertThat(created.get(0).closed()).isTrue();
        assertThat(ids.get(1)).isEqualTo(ids.get(0));
    }

    @Test
    void thereAreNeverMoreTransactionalIdsThanThePoolAndOneMoreFailsAtOnce() {
        List<Producer<String, Object>> held = new ArrayList<>();
        for (int i = 0; i < PublisherConfig.TRANSACTIONAL_IDS; i++) {
            held.add(factory.createProducer());
        }
        assertThatThrownBy(factory::createProducer).isInstanceOf(NoProducerAvailableException.class);
        held.forEach(Producer::close); // back to the pool
        for (int i = 0; i < 20; i++) {
            created.forEach(p -> p.commitTransactionException = new TimeoutException("EndTxn"));
            faults.add(p -> p.commitTransactionException = new TimeoutException("EndTxn"));
            assertThatThrownBy(() -> template.executeInTransaction(ops -> ops.send("invocation-events", "k", "v")))
                    .isInstanceOf(TimeoutException.class);
        }

        assertThat(ids).as("a replacement for each failed commit").hasSizeGreaterThanOrEqualTo(20);
        assertThat(ids.stream().distinct()).hasSize(PublisherConfig.TRANSACTIONAL_IDS);
    }
}
