package io.stopplane.api.eventlog;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class EventLogConfig {

    @Bean(destroyMethod = "close")
    InvocationEventLog invocationEventLog(KafkaProperties kafka) {
        return new InvocationEventLog(kafka.buildConsumerProperties());
    }
}
