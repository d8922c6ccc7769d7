package io.stopplane.gateway.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.gateway.config.GatewayProperties;
import io.stopplane.kafka.BrokerHealth;
import io.stopplane.kafka.DeadLetters;
import io.stopplane.kafka.TopicDeclarations;
import io.stopplane.kafka.TopicsProperties;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

/**
 * The gateway's Kafka clients besides its three readers: one idempotent producer, the dead letters of the topics it
 * reads, the topics it writes (declared by their writers, so whichever service starts first creates them with the
 * catalogue's settings), and {@code broker} in its health.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TopicsProperties.class)
class GatewayKafkaConfig {

    @Bean
    Publisher publisher(KafkaProperties kafka, MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "agent-gateway");
        // Reports are acked to the agent only once written: do not hold them back to fill batches.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // A WebSocket thread never waits long on a broker that is away: the report is then not acked, and sent again.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        JacksonJsonSerializer<Object> values = new JacksonJsonSerializer<>(StopPlaneJson.mapper());
        values.setAddTypeInfo(false);
        DefaultKafkaProducerFactory<String, Object> factory =
                new DefaultKafkaProducerFactory<>(config, new StringSerializer(), values);
        factory.addListener(new MicrometerProducerListener<>(meters));
        factory.setPhysicalCloseTimeout(1);
        return new Publisher(new KafkaTemplate<>(factory));
    }

    @Bean(destroyMethod = "close")
    DeadLetters deadLetters(KafkaProperties kafka, MeterRegistry meters) {
        return new DeadLetters(kafka.buildProducerProperties(), meters, "agent-gateway",
                Topics.INSTANCE_COMMANDS.name(), Topics.INVOCATION_STATE.name(), Topics.AGENT_REGISTRY.name());
    }

    @Bean
    KafkaAdmin.NewTopics gatewayTopics(TopicsProperties sizing) {
        return TopicDeclarations.topics(sizing, Topics.INVOCATION_EVENTS,
                Topics.AGENT_HEARTBEATS, Topics.REGISTRY_EVENTS);
    }

    @Bean
    KafkaAdmin.NewTopics gatewayDeadLetterTopics(TopicsProperties sizing) {
        return TopicDeclarations.deadLetters(sizing, Topics.INSTANCE_COMMANDS,
                Topics.INVOCATION_STATE, Topics.AGENT_REGISTRY);
    }

    @Bean("broker")
    BrokerHealth brokerHealth(KafkaProperties kafka) {
        return new BrokerHealth(kafka.buildAdminProperties(), "agent-gateway",
                "agents stay connected, but get no new command, their reports are not acked (they send them again) "
                        + "and registrations answer 503 until the broker is back");
    }
}
