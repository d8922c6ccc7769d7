package io.stopplane.dispatcher.topics;

import io.stopplane.model.topic.TopicSpec;
import io.stopplane.model.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics the dispatcher writes: {@code invocation-state} (it is the only writer) and {@code invocation-events}
 * (its timer events; it must also exist before the fold can start); {@code agent-registry} (the registry fold is its
 * only writer) and {@code registry-events} (the registry fold's source).
 */
@Configuration(proxyBeanMethods = false)
class DispatcherTopics {

    @Bean
    KafkaAdmin.NewTopics dispatcherOwnedTopics(TopicsProperties props) {
        // agent-heartbeats belongs to the agents; it is declared here too (same settings) because the timers read it
        // as a global table, which cannot start before its topic exists.
        return new KafkaAdmin.NewTopics(topic(Topics.INVOCATION_EVENTS, props), topic(Topics.INVOCATION_STATE, props),
                topic(Topics.INVOCATION_OUTPUTS, props),
                topic(Topics.AGENT_HEARTBEATS, props),
                topic(Topics.REGISTRY_EVENTS, props), topic(Topics.AGENT_REGISTRY, props));
    }

    static NewTopic topic(TopicSpec spec, TopicsProperties props) {
        return TopicBuilder.name(spec.name())
                .partitions(props.partitions())
                .replicas(props.replicationFactor())
                .configs(spec.configs())
                .build();
    }
}
