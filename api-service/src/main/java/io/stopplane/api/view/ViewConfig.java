package io.stopplane.api.view;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.kafka.DeadLetters;
import io.stopplane.kafka.TopicFollower;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.state.InvocationTarget;
import io.stopplane.model.topic.Topics;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ViewConfig {

    @Bean
    InvocationView invocationView() {
        return new InvocationView();
    }

    @Bean
    AgentRegistry agentRegistry() {
        return new AgentRegistry();
    }

    @Bean
    ViewMetrics viewMetrics(InvocationView view, MeterRegistry meters) {
        return new ViewMetrics(view, meters);
    }

    /** The invocation view, from {@code invocation-state}: invocations' states, and their targets' records. */
    @Bean
    TopicFollower stateTopicReader(KafkaProperties kafka, InvocationView view, MeterRegistry meters,
            DeadLetters deadLetters) {
        return new TopicFollower(Topics.INVOCATION_STATE.name(), kafka.buildConsumerProperties(),
                TopicFollower.Table.byKey(
                        TopicFollower.Table.ofJson(InvocationState.class, (key, state) -> view.apply(state),
                                view::remove, view::markReady),
                        InvocationState::isTargetKey,
                        TopicFollower.Table.ofJson(InvocationTarget.class, view::apply, key -> { }, () -> { })),
                deadLetters, meters);
    }

    /** The agents registered, from {@code agent-heartbeats}. */
    @Bean
    TopicFollower heartbeatTopicReader(KafkaProperties kafka, AgentRegistry registry, MeterRegistry meters,
            DeadLetters deadLetters) {
        return new TopicFollower(Topics.AGENT_HEARTBEATS.name(), kafka.buildConsumerProperties(),
                TopicFollower.Table.ofJson(AgentHeartbeat.class, registry::put, registry::remove, registry::markReady),
                deadLetters, meters);
    }

    /** UP once both tables have been read to their end, so answers are not missing what existed at start. */
    @Bean
    HealthIndicator invocationViewHealth(InvocationView view, AgentRegistry registry) {
        return () -> view.ready() && registry.ready()
                ? Health.up().build()
                : Health.down().withDetail("view", view.ready() ? "ready" : "catching up")
                        .withDetail("agents", registry.ready() ? "ready" : "catching up").build();
    }
}
