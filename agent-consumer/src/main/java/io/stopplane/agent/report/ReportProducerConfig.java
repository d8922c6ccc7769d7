package io.stopplane.agent.report;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.json.StopPlaneJson;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import tools.jackson.core.type.TypeReference;

/** The producer of status reports. */
@Configuration(proxyBeanMethods = false)
class ReportProducerConfig {

    @Bean
    ProducerFactory<String, InvocationEvent> reportProducerFactory(KafkaProperties kafka, MeterRegistry meters) {
        Map<String, Object> config = kafka.buildProducerProperties();
        // A lost or duplicated report would leave an invocation stuck or wrong: idempotent, fully acknowledged writes.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // A report is the last hop of a stop: send it at once, not after the client's default 5 ms linger.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // Typed as the sealed interface so the logical type id is written; never class-name headers.
        JacksonJsonSerializer<InvocationEvent> values =
                new JacksonJsonSerializer<>(new TypeReference<InvocationEvent>() { }, StopPlaneJson.mapper());
        values.setAddTypeInfo(false);
        DefaultKafkaProducerFactory<String, InvocationEvent> factory =
                new DefaultKafkaProducerFactory<>(config, new StringSerializer(), values);
        // Our own factory, not Boot's: bind the producer's client metrics (kafka.producer.*) ourselves.
        factory.addListener(new MicrometerProducerListener<>(meters));
        // At shutdown a report still in flight is not lost with the producer: the journal sends it again on the next
        // start. Do not hold the shutdown for 30 s on a broker that is gone.
        factory.setPhysicalCloseTimeout(3);
        return factory;
    }

    @Bean
    KafkaTemplate<String, InvocationEvent> reportTemplate(ProducerFactory<String, InvocationEvent> reportProducerFactory) {
        return new KafkaTemplate<>(reportProducerFactory);
    }
}
