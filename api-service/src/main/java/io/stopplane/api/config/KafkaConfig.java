package io.stopplane.api.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.kafka.DeadLetters;
import io.stopplane.model.topic.TopicSpec;
import io.stopplane.model.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics the API writes, declared by their owner (the producer lives with the publisher), and the dead letters of
 * the topics it reads: a record its view or output index cannot read goes to {@code <topic>-dlt}. The readers have no
 * consumer group, every replica reads every record: with N replicas a poison record is dead-lettered N times, each copy
 * with the same {@code kafka_dlt-original-topic/-partition/-offset}, which is how {@code audit dlt} tells them apart.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfig {

    @Bean
    KafkaAdmin.NewTopics apiTopics(ApiProperties props) {
        return new KafkaAdmin.NewTopics(topic(Topics.INSTANCE_COMMANDS, props), topic(Topics.INVOCATION_EVENTS, props),
                topic(Topics.API_NONCES, props));
    }

    @Bean
    KafkaAdmin.NewTopics apiDeadLetterTopics(ApiProperties props) {
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name(Topics.INVOCATION_STATE.name() + "-dlt").partitions(props.partitions())
                        .replicas(props.replicationFactor()).build(),
                TopicBuilder.name(Topics.INVOCATION_OUTPUTS.name() + "-dlt").partitions(props.partitions())
                        .replicas(props.replicationFactor()).build(),
                TopicBuilder.name(Topics.AGENT_HEARTBEATS.name() + "-dlt").partitions(props.partitions())
                        .replicas(props.replicationFactor()).build(),
                TopicBuilder.name(Topics.API_NONCES.name() + "-dlt").partitions(props.partitions())
                        .replicas(props.replicationFactor()).build());
    }

    @Bean(destroyMethod = "close")
    DeadLetters deadLetters(KafkaProperties kafka, MeterRegistry meters) {
        return new DeadLetters(kafka.buildProducerProperties(), meters, "api-service", Topics.INVOCATION_STATE.name(),
                Topics.INVOCATION_OUTPUTS.name(), Topics.AGENT_HEARTBEATS.name(), Topics.API_NONCES.name());
    }

    private static NewTopic topic(TopicSpec spec, ApiProperties props) {
        return TopicBuilder.name(spec.name()).partitions(props.partitions()).replicas(props.replicationFactor())
                .configs(spec.configs()).build();
    }
}
