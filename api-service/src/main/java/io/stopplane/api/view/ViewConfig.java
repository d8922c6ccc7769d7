package io.stopplane.api.view;

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
    StateTopicReader stateTopicReader(KafkaProperties kafka, InvocationView view) {
        return new StateTopicReader(kafka.buildConsumerProperties(), view);
    }

    /** UP once the view has read the state topic to its end, so answers are not missing what existed at start. */
    @Bean
    HealthIndicator invocationViewHealth(StateTopicReader reader) {
        return () -> reader.caughtUp() ? Health.up().build() : Health.down().withDetail("view", "catching up").build();
    }
}
