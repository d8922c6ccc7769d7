package io.stopplane.dispatcher.errors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.dispatcher.topics.TopicsProperties;
import io.stopplane.model.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.streams.RecoveringDeserializationExceptionHandler;

/**
 * A record the fold cannot read goes to {@code <topic>-dlt} with spring-kafka's standard {@code kafka_dlt-*} headers, is
 * counted, and never stops the dispatcher.
 */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfig {

    @Bean(name = KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration kafkaStreamsConfiguration(KafkaProperties kafka, MeterRegistry meters) {
        Map<String, Object> props = new HashMap<>(kafka.buildStreamsProperties());
        Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, props.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        KafkaTemplate<byte[], byte[]> template = new KafkaTemplate<>(
                new DefaultKafkaProducerFactory<>(producer, new ByteArraySerializer(), new ByteArraySerializer()));
        DeadLetterPublishingRecoverer publisher = new DeadLetterPublishingRecoverer(template);
        Counter poisoned = Counter.builder("stopplane.dead.letters").tag("service", "dispatcher")
                .description("records that could not be read and went to a dead-letter topic").register(meters);
        props.put(StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                RecoveringDeserializationExceptionHandler.class);
        props.put(RecoveringDeserializationExceptionHandler.KSTREAM_DESERIALIZATION_RECOVERER,
                (org.springframework.kafka.listener.ConsumerRecordRecoverer) (record, e) -> {
                    poisoned.increment();
                    publisher.accept(record, e);
                });
        return new KafkaStreamsConfiguration(props);
    }

    @Bean
    KafkaAdmin.NewTopics deadLetterTopics(TopicsProperties topics) {
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name(Topics.INVOCATION_EVENTS.name() + "-dlt").partitions(topics.partitions())
                        .replicas(topics.replicationFactor()).config("retention.ms", "-1").build(),
                TopicBuilder.name(Topics.AGENT_HEARTBEATS.name() + "-dlt").partitions(topics.partitions())
                        .replicas(topics.replicationFactor()).build());
    }
}
