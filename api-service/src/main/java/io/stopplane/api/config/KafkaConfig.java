package io.stopplane.api.config;

import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.topic.TopicSpec;
import io.stopplane.model.topic.Topics;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

/**
 * The API's producer: transactional, so that an invocation's event and its per-instance commands are published all or
 * nothing, and bounded, so that a client hears InternalError.Dispatch within seconds when the broker is gone.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfig {

    @Bean
    KafkaTemplate<String, Object> kafkaTemplate(KafkaProperties kafka, ApiProperties props) {
        Map<String, Object> config = kafka.buildProducerProperties();
        long timeout = props.dispatchTimeout().toMillis();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout / 2);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (timeout / 2));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
        JacksonJsonSerializer<Object> values = new JacksonJsonSerializer<>(StopPlaneJson.mapper());
        values.setAddTypeInfo(false);
        DefaultKafkaProducerFactory<String, Object> factory =
                new DefaultKafkaProducerFactory<>(config, new StringSerializer(), values);
        factory.setTransactionIdPrefix("stopplane-api-" + UUID.randomUUID() + "-");
        return new KafkaTemplate<>(factory);
    }

    @Bean
    KafkaAdmin.NewTopics apiTopics(ApiProperties props) {
        return new KafkaAdmin.NewTopics(topic(Topics.INSTANCE_COMMANDS, props), topic(Topics.INVOCATION_EVENTS, props));
    }

    private static NewTopic topic(TopicSpec spec, ApiProperties props) {
        return TopicBuilder.name(spec.name()).partitions(props.partitions()).replicas(props.replicationFactor())
                .configs(spec.configs()).build();
    }
}
