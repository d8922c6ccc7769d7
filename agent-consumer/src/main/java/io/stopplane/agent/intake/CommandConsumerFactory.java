package io.stopplane.agent.intake;

import io.stopplane.agent.AgentProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.kafka.DeadLetters;
import io.stopplane.model.topic.Topics;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Builds the consumer of {@code instance-commands} from Boot's Kafka settings plus the settings the agent relies on, and
 * the dead-letter publisher for the commands it cannot read. Values stay bytes: the intake parses them, so that one it
 * cannot parse goes to {@code instance-commands-dlt} as it was written.
 */
@Component
class CommandConsumerFactory {

    private final KafkaProperties kafka;
    private final AgentProperties agent;

    CommandConsumerFactory(KafkaProperties kafka, AgentProperties agent) {
        this.kafka = kafka;
        this.agent = agent;
    }

    DeadLetters deadLetters(MeterRegistry meters) {
        return new DeadLetters(kafka.buildProducerProperties(), meters, "agent-consumer", Topics.INSTANCE_COMMANDS.name());
    }

    Consumer<String, byte[]> create() {
        Map<String, Object> config = kafka.buildConsumerProperties();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, agent.groupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, agent.groupId() + "-commands");
        // Offsets are committed only after a batch was handed to the supervisor.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A brand-new agent starts at the end: commands issued before it first registered are not its business.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // api-service writes commands in transactions: an aborted run must never start.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Asking for a missing instance-commands must not create it with the broker's default partition count.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
