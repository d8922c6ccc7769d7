package io.stopplane.gateway.registry;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.kafka.DeadLetters;
import io.stopplane.model.kafka.TopicFollower;
import io.stopplane.model.registry.RegistryRecord;
import io.stopplane.model.topic.Topics;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry view, followed from the compacted {@code agent-registry} by one consumer. */
@Configuration(proxyBeanMethods = false)
class RegistryConfig {

    @Bean
    RegistryView registryView() {
        return new RegistryView();
    }

    @Bean
    TopicFollower registryFollower(KafkaProperties kafka, RegistryView view, DeadLetters deadLetters,
            MeterRegistry meters) {
        return new TopicFollower(Topics.AGENT_REGISTRY.name(), kafka.buildConsumerProperties(),
                TopicFollower.Table.ofJson(RegistryRecord.class, view::put, view::remove, view::markReady),
                deadLetters, meters);
    }
}
