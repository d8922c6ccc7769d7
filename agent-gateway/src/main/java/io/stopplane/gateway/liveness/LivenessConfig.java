package io.stopplane.gateway.liveness;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.gateway.config.GatewayProperties;
import io.stopplane.gateway.kafka.Publisher;
import io.stopplane.gateway.registry.RegistryView;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class LivenessConfig {

    @Bean
    Liveness liveness(RegistryView registry, Publisher publisher, GatewayProperties props, MeterRegistry meters) {
        return new Liveness(registry, publisher, props, meters, Clock.systemUTC());
    }
}
