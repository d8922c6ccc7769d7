package io.stopplane.api.output;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OutputConfig {

    @Bean
    OutputStore outputStore(KafkaProperties kafka) {
        return new OutputStore(kafka.buildConsumerProperties());
    }
}
