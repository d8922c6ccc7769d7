package io.stopplane.api.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.kafka.DeadLetters;
import io.stopplane.kafka.TopicDeclarations;
import io.stopplane.kafka.TopicsProperties;
import io.stopplane.model.topic.Topics;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics the API writes, declared by their owner (the producer lives with the publisher), and the dead letters of
 * the topics it reads: a record its view or output index cannot read goes to {@code <topic>-dlt}. The readers have no
 * consumer group, every replica reads every record: with N replicas a poison record is dead-lettered N times, each copy
 * with the same {@code kafka_dlt-original-topic/-partition/-offset}, which is how {@code audit dlt} tells them apart.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TopicsProperties.class)
class KafkaConfig {

    @Bean
    KafkaAdmin.NewTopics apiTopics(TopicsProperties sizing) {
        return TopicDeclarations.topics(sizing, Topics.INSTANCE_COMMANDS,
                Topics.INVOCATION_EVENTS, Topics.API_NONCES);
    }

    @Bean
    KafkaAdmin.NewTopics apiDeadLetterTopics(TopicsProperties sizing) {
        return TopicDeclarations.deadLetters(sizing, Topics.INVOCATION_STATE,
                Topics.INVOCATION_OUTPUTS, Topics.AGENT_HEARTBEATS, Topics.API_NONCES);
    }

    @Bean(destroyMethod = "close")
    DeadLetters deadLetters(KafkaProperties kafka, MeterRegistry meters) {
        return new DeadLetters(kafka.buildProducerProperties(), meters, "api-service", Topics.INVOCATION_STATE.name(),
                Topics.INVOCATION_OUTPUTS.name(), Topics.AGENT_HEARTBEATS.name(), Topics.API_NONCES.name());
    }
}
