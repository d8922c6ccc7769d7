package io.stopplane.api.output;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.kafka.DeadLetters;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OutputConfig {

    @Bean
    OutputStore outputStore(KafkaProperties kafka, DeadLetters deadLetters, MeterRegistry meters) {
        return new OutputStore(kafka.buildConsumerProperties(), deadLetters, meters);
    }
}
