package io.stopplane.api.console;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.api.view.InvocationView;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The live feed's limits: how many streams at once, how often a quiet stream says it is alive, how long one lasts. */
@Configuration(proxyBeanMethods = false)
class ConsoleConfig {

    @Bean(destroyMethod = "close")
    InvocationFeed invocationFeed(InvocationView view, MeterRegistry meters,
            @Value("${stopplane.api.console.feed.max-clients:64}") int maxClients,
            @Value("${stopplane.api.console.feed.heartbeat:15s}") Duration heartbeat,
            @Value("${stopplane.api.console.feed.max-age:30m}") Duration maxAge) {
        InvocationFeed feed = new InvocationFeed(meters, maxClients, heartbeat, maxAge);
        view.onChange(feed::changed);
        return feed;
    }
}
