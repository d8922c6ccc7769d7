package io.stopplane.api.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.config.DispatchBudget;
import io.stopplane.model.json.StopPlaneJson;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

/**
 * The API's producer: transactional, so that a decision's event and its per-instance commands are published all or
 * nothing, and bounded by the {@link DispatchBudget}, so that a client hears InternalError.Dispatch within seconds when
 * the broker is gone.
 *
 * <p>Its producers are a bounded pool with stable transactional ids ({@link #TRANSACTIONAL_IDS} per process, given out
 * by {@link StableTransactionalIds}). A transaction that fails is aborted and its producer reused; a producer that
 * cannot go on (its init, commit or abort failed, or it was fenced) is closed, and the one that replaces it takes the
 * same id. Spring's default gives every replacement a new id, and that was issue 20: after a broker loss on a busy
 * machine each failed request left a new id to the next (client ids up to {@code -96} in 90 s), and each new id
 * started from nothing, a coordinator lookup and an InitProducerId that needs a fresh producer id from a coordinator
 * that may have none in hand, all within one step of the budget (1.7 s); none got there, so no stop was accepted. A
 * known id needs neither: its coordinator has it in the replicated transaction log and only bumps its epoch, aborting
 * whatever the failed producer left open.
 */
@Configuration(proxyBeanMethods = false)
class PublisherConfig {

    /**
     * The publisher threads, a single-record write (RecordWriter: registry, library) and the start-up warm-up at once;
     * one more takes none (fails at once).
     */
    static final int TRANSACTIONAL_IDS = EventPublisher.PUBLISHERS + 2;

    @Bean
    KafkaTemplate<String, Object> kafkaTemplate(KafkaProperties kafka, ApiProperties props, MeterRegistry meters) {
        DefaultKafkaProducerFactory<String, Object> factory = pooled(new DefaultKafkaProducerFactory<>(
                config(kafka.buildProducerProperties(), props), new StringSerializer(), values()));
        // Our own factory, not Boot's: bind the producers' client metrics (kafka.producer.*) ourselves.
        factory.addListener(new MicrometerProducerListener<>(meters));
        return new KafkaTemplate<>(factory);
    }

    static KafkaTemplate<String, Object> template(Map<String, Object> base, ApiProperties props) {
        return new KafkaTemplate<>(pooled(new DefaultKafkaProducerFactory<>(config(base, props), new StringSerializer(),
                values())));
    }

    static Map<String, Object> config(Map<String, Object> base, ApiProperties props) {
        Map<String, Object> config = new HashMap<>(base);
        DispatchBudget budget = new DispatchBudget(props.dispatchTimeout());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // Every blocking producer call (init, metadata, commit, abort) is bounded by one step of the budget.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, budget.step().toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) budget.step().toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) budget.sends().toMillis());
        // While a coordinator moves (COORDINATOR_LOAD_IN_PROGRESS, CONCURRENT_TRANSACTIONS, NOT_COORDINATOR) the client
        // retries; the default backoff grows to 1 s, so one step held two retries at most. A tenth of a step holds ten.
        config.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, budget.step().dividedBy(10).toMillis());
        // An API process that dies mid-transaction holds back read_committed agents until the coordinator aborts
        // the transaction: keep that short (the default is a minute), yet longer than any transaction we run.
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) budget.transactionTimeout().toMillis());
        return config;
    }

    /** The pool: stable transactional ids, reused after a failure; a failed producer's close must not eat the budget. */
    static <F extends DefaultKafkaProducerFactory<String, Object>> F pooled(F factory) {
        factory.setTransactionIdPrefix("stopplane-api-" + UUID.randomUUID() + "-");
        factory.setTransactionIdSuffixStrategy(new StableTransactionalIds(TRANSACTIONAL_IDS));
        factory.setPhysicalCloseTimeout(1);
        return factory;
    }

    private static JacksonJsonSerializer<Object> values() {
        JacksonJsonSerializer<Object> values = new JacksonJsonSerializer<>(StopPlaneJson.mapper());
        values.setAddTypeInfo(false);
        return values;
    }
}
