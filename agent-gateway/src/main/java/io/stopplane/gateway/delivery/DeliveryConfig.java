package io.stopplane.gateway.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.gateway.config.GatewayProperties;
import io.stopplane.kafka.DeadLetters;
import io.stopplane.kafka.TopicFollower;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Delivery's two readers: the command feed and the follower of final statuses. */
@Configuration(proxyBeanMethods = false)
class DeliveryConfig {

    @Bean
    Pending pending(MeterRegistry meters) {
        return new Pending(meters);
    }

    @Bean
    CommandFeed commandFeed(KafkaProperties kafka, Pending pending, GatewayProperties props, DeadLetters deadLetters,
            MeterRegistry meters) {
        return new CommandFeed(kafka.buildConsumerProperties(), pending, props.commandsReplay(), props.finalRetention(),
                deadLetters, meters, Clock.systemUTC());
    }

    @Bean
    TopicFollower finalStatusFollower(KafkaProperties kafka, Pending pending, CommandFeed feed,
            GatewayProperties props, DeadLetters deadLetters, MeterRegistry meters) {
        Duration window = props.commandsReplay() != null ? props.commandsReplay()
                : Duration.ofMillis(Long.parseLong(Topics.INSTANCE_COMMANDS.configs().get("retention.ms")));
        FinalStatuses finals = new FinalStatuses(pending, feed::caughtUp, window, Clock.systemUTC());
        return new TopicFollower(Topics.INVOCATION_STATE.name(), kafka.buildConsumerProperties(),
                TopicFollower.Table.byKey(
                        TopicFollower.Table.ofJson(FinalStatuses.StateStatuses.class,
                                (key, state) -> finals.apply(state), key -> { }, () -> { }),
                        InvocationState::isTargetKey,
                        TopicFollower.Table.ofJson(FinalStatuses.TargetRecord.class, finals::apply, key -> { },
                                () -> { })),
                deadLetters, meters);
    }

    @Bean
    DeliveryReadiness deliveryReadiness(CommandFeed feed, TopicFollower finalStatusFollower) {
        return new DeliveryReadiness(feed::caughtUp, finalStatusFollower::caughtUp);
    }
}
