package io.stopplane.dispatcher.topics;

import io.stopplane.kafka.TopicDeclarations;
import io.stopplane.kafka.TopicsProperties;
import io.stopplane.model.topic.Topics;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics the dispatcher writes: {@code invocation-state} (it is the only writer) and {@code invocation-events}
 * (its timer events; it must also exist before the fold can start); {@code agent-registry} (the registry fold is its
 * only writer) and {@code registry-events} (the registry fold's source); {@code instance-commands}, where it sends the
 * runs of scheduled invocations (the api-service sends the rest).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TopicsProperties.class)
class DispatcherTopics {

    @Bean
    KafkaAdmin.NewTopics dispatcherOwnedTopics(TopicsProperties sizing) {
        // agent-heartbeats belongs to the agents; it is declared here too (same settings) because the timers read it
        // as a global table, which cannot start before its topic exists.
        return TopicDeclarations.topics(sizing, Topics.INVOCATION_EVENTS,
                Topics.INVOCATION_STATE, Topics.INVOCATION_OUTPUTS, Topics.AGENT_HEARTBEATS, Topics.REGISTRY_EVENTS,
                Topics.AGENT_REGISTRY, Topics.INSTANCE_COMMANDS);
    }
}
