package io.stopplane.api.registry;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.api.config.ApiProperties;
import io.stopplane.kafka.DeadLetters;
import io.stopplane.kafka.TopicDeclarations;
import io.stopplane.kafka.TopicsProperties;
import io.stopplane.kafka.TopicFollower;
import io.stopplane.model.registry.RegistryRecord;
import io.stopplane.model.topic.Topics;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The registry's view, from {@code agent-registry} (written by the dispatcher, which creates it), and the topics the
 * API creates for it: {@code registry-events}, which it writes, and {@code agent-registry-dlt}, where a record the view
 * cannot read goes.
 */
@Configuration(proxyBeanMethods = false)
class RegistryViewConfig {

    @Bean
    RegistryView registryView() {
        return new RegistryView();
    }

    @Bean
    TopicFollower registryTopicReader(KafkaProperties kafka, RegistryView view, MeterRegistry meters,
            DeadLetters deadLetters) {
        return new TopicFollower(Topics.AGENT_REGISTRY.name(), kafka.buildConsumerProperties(),
                TopicFollower.Table.ofJson(RegistryRecord.class, view::put, view::remove, view::markReady),
                deadLetters, meters);
    }

    @Bean
    KafkaAdmin.NewTopics registryTopics(TopicsProperties sizing) {
        return TopicDeclarations.topics(sizing, Topics.REGISTRY_EVENTS);
    }

    @Bean
    KafkaAdmin.NewTopics registryDeadLetterTopics(TopicsProperties sizing) {
        return TopicDeclarations.deadLetters(sizing, Topics.AGENT_REGISTRY);
    }

    /** UP once the registry has been read to its end: a RunCommand target or an activation missed then is missing. */
    @Bean
    HealthIndicator registryViewHealth(RegistryView view) {
        return () -> view.ready() ? Health.up().build() : Health.down().withDetail("registry", "catching up").build();
    }
}
