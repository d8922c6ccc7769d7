package io.stopplane.agent.heartbeat;

import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.topic.TopicSpec;
import io.stopplane.model.topic.Topics;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

/**
 * The agent owns {@code agent-heartbeats}: it declares the topic and is its only writer. It also declares the dead-letter
 * topic of the commands it reads, {@code instance-commands-dlt}. All are created by the heartbeat thread.
 */
@Configuration(proxyBeanMethods = false)
class HeartbeatConfig {

    @Bean
    NewTopic heartbeatsTopic(TopicsProperties topics) {
        TopicSpec spec = Topics.AGENT_HEARTBEATS;
        return TopicBuilder.name(spec.name())
                .partitions(topics.partitions())
                .replicas(topics.replicationFactor())
                .configs(spec.configs())
                .build();
    }

    @Bean
    NewTopic commandsDeadLetterTopic(TopicsProperties topics) {
        return TopicBuilder.name(Topics.INSTANCE_COMMANDS.name() + "-dlt")
                .partitions(topics.partitions())
                .replicas(topics.replicationFactor())
                .build();
    }

    @Bean
    ProducerFactory<String, AgentHeartbeat> heartbeatProducerFactory(KafkaProperties kafka) {
        Map<String, Object> config = kafka.buildProducerProperties();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        JacksonJsonSerializer<AgentHeartbeat> values = new JacksonJsonSerializer<>(StopPlaneJson.mapper());
        values.setAddTypeInfo(false);
        DefaultKafkaProducerFactory<String, AgentHeartbeat> factory =
                new DefaultKafkaProducerFactory<>(config, new StringSerializer(), values);
        // A heartbeat still in flight at shutdown is worth nothing: do not hold the shutdown for a broker that is gone.
        factory.setPhysicalCloseTimeout(1);
        return factory;
    }

    @Bean
    KafkaTemplate<String, AgentHeartbeat> heartbeatTemplate(ProducerFactory<String, AgentHeartbeat> heartbeatProducerFactory) {
        return new KafkaTemplate<>(heartbeatProducerFactory);
    }
}
