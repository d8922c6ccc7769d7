package io.stopplane.api.config;

import io.stopplane.model.topic.TopicSpec;
import io.stopplane.model.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/** The topics the API writes, declared by their owner. (The producer lives with the publisher.) */
@Configuration(proxyBeanMethods = false)
class KafkaConfig {

    @Bean
    KafkaAdmin.NewTopics apiTopics(ApiProperties props) {
        return new KafkaAdmin.NewTopics(topic(Topics.INSTANCE_COMMANDS, props), topic(Topics.INVOCATION_EVENTS, props));
    }

    private static NewTopic topic(TopicSpec spec, ApiProperties props) {
        return TopicBuilder.name(spec.name()).partitions(props.partitions()).replicas(props.replicationFactor())
                .configs(spec.configs()).build();
    }
}
