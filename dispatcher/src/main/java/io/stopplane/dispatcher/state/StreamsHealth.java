package io.stopplane.dispatcher.state;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/** UP only while the fold is running, so launchers wait for a dispatcher that really processes events. */
@Component("fold")
class StreamsHealth implements HealthIndicator {

    private final StreamsBuilderFactoryBean factory;

    StreamsHealth(StreamsBuilderFactoryBean factory) {
        this.factory = factory;
    }

    @Override
    public Health health() {
        KafkaStreams streams = factory.getKafkaStreams();
        KafkaStreams.State state = streams == null ? null : streams.state();
        Health.Builder builder = state == KafkaStreams.State.RUNNING ? Health.up() : Health.down();
        return builder.withDetail("state", String.valueOf(state)).build();
    }
}
