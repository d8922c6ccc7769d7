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
 */
@Configuration(proxyBeanMethods = false)
class PublisherConfig {

    @Bean
    KafkaTemplate<String, Object> kafkaTemplate(KafkaProperties kafka, ApiProperties props, MeterRegistry meters) {
        KafkaTemplate<String, Object> template = template(kafka.buildProducerProperties(), props);
        // Our own factory, not Boot's: bind the producers' client metrics (kafka.producer.*) ourselves.
        ((DefaultKafkaProducerFactory<String, Object>) template.getProducerFactory())
                .addListener(new MicrometerProducerListener<>(meters));
        return template;
    }

    static KafkaTemplate<String, Object> template(Map<String, Object> base, ApiProperties props) {
        Map<String, Object> config = new HashMap<>(base);
        DispatchBudget budget = new DispatchBudget(props.dispatchTimeout());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // Every blocking producer call (init, metadata, commit, abort) is bounded by one step of the budget.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, budget.step().toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) budget.step().toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) budget.sends().toMillis());
        // An API process that dies mid-transaction holds back read_committed agents until the coordinator aborts
        // the transaction: keep that short (the default is a minute), yet longer than any transaction we run.
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) budget.transactionTimeout().toMillis());
        JacksonJsonSerializer<Object> values = new JacksonJsonSerializer<>(StopPlaneJson.mapper());
        values.setAddTypeInfo(false);
        DefaultKafkaProducerFactory<String, Object> factory =
                new DefaultKafkaProducerFactory<>(config, new StringSerializer(), values);
        factory.setTransactionIdPrefix("stopplane-api-" + UUID.randomUUID() + "-");
        // A failed producer is closed, not reused; with the broker gone, closing must not eat the client's time.
        factory.setPhysicalCloseTimeout(1);
        return new KafkaTemplate<>(factory);
    }
}
