package io.stopplane.dispatcher.errors;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.kafka.DeadLetters;
import io.stopplane.kafka.TopicDeclarations;
import io.stopplane.kafka.TopicsProperties;
import io.stopplane.model.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.streams.RecoveringDeserializationExceptionHandler;

/**
 * A record the dispatcher cannot read or fold goes to {@code <topic>-dlt} with spring-kafka's standard
 * {@code kafka_dlt-*} headers, is counted ({@code stopplane.dead.letters{service=dispatcher,topic}}), and never stops
 * the dispatcher: the folds' unreadable events (deserialization) and events a fold throws on (processing), of
 * {@code invocation-events} and {@code registry-events}, and the heartbeat table's unreadable heartbeats
 * ({@code HeartbeatTable}).
 */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfig {

    @Bean(destroyMethod = "close")
    DeadLetters deadLetters(KafkaProperties kafka, MeterRegistry meters) {
        Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.buildStreamsProperties().get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        return new DeadLetters(producer, meters, "dispatcher", Topics.INVOCATION_EVENTS.name(),
                Topics.AGENT_HEARTBEATS.name(), Topics.REGISTRY_EVENTS.name());
    }

    @Bean(name = KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration kafkaStreamsConfiguration(KafkaProperties kafka, DeadLetters deadLetters) {
        Map<String, Object> props = new HashMap<>(kafka.buildStreamsProperties());
        props.put(StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                RecoveringDeserializationExceptionHandler.class);
        props.put(RecoveringDeserializationExceptionHandler.KSTREAM_DESERIALIZATION_RECOVERER,
                (ConsumerRecordRecoverer) (record, e) -> deadLetters.send(raw(record), e));
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringProcessingHandler.class);
        props.put(DeadLetteringProcessingHandler.DEAD_LETTERS, deadLetters);
        return new KafkaStreamsConfiguration(props);
    }

    @SuppressWarnings("unchecked")
    private static ConsumerRecord<byte[], byte[]> raw(ConsumerRecord<?, ?> record) {
        // Streams hands the deserialization handler the record as fetched: raw bytes.
        return (ConsumerRecord<byte[], byte[]>) record;
    }

    @Bean
    KafkaAdmin.NewTopics deadLetterTopics(TopicsProperties sizing) {
        return TopicDeclarations.deadLetters(sizing, Topics.INVOCATION_EVENTS,
                Topics.AGENT_HEARTBEATS, Topics.REGISTRY_EVENTS);
    }
}
