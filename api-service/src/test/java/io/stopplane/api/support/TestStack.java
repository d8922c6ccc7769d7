package io.stopplane.api.support;

import io.stopplane.api.auth.ActionAuthorizer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/** What the shared test context adds to the api-service. */
@TestConfiguration(proxyBeanMethods = false)
class TestStack {

    @Bean
    @Primary
    ActionAuthorizer testAuthorizer() {
        return new TestAuthorizer();
    }

    @Bean
    @Primary
    KafkaTemplate<String, Object> switchableTemplate(@Qualifier("kafkaTemplate") KafkaTemplate<String, Object> real) {
        return new DispatchSwitch(real.getProducerFactory());
    }

    @Bean
    FoldingDispatcher foldingDispatcher(EmbeddedKafkaBroker broker) {
        return new FoldingDispatcher(broker.getBrokersAsString());
    }

    @Bean
    FoldingRegistry foldingRegistry(EmbeddedKafkaBroker broker) {
        return new FoldingRegistry(broker.getBrokersAsString());
    }

    @Bean
    TestKafka testKafka(EmbeddedKafkaBroker broker) {
        return new TestKafka(broker.getBrokersAsString());
    }
}
