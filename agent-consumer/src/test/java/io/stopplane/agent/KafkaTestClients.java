package io.stopplane.agent;

import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.json.StopPlaneJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import tools.jackson.core.type.TypeReference;

/** The api-service side of the agent's conversation: commands in, status reports out. */
final class KafkaTestClients implements AutoCloseable {

    private final KafkaProducer<String, InstanceCommand> producer;
    private final KafkaConsumer<String, InvocationEvent> reports;
    private final List<InstanceStatusReported> seen = new CopyOnWriteArrayList<>();

    KafkaTestClients(String bootstrap) {
        JacksonJsonSerializer<InstanceCommand> commands =
                new JacksonJsonSerializer<>(new TypeReference<InstanceCommand>() { }, StopPlaneJson.mapper());
        commands.setAddTypeInfo(false);
        // Transactional like api-service: a run and its stop committed together reach the agent in one batch.
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "agent-it-" + UUID.randomUUID()),
                new StringSerializer(), commands);
        producer.initTransactions();
        reports = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(),
                new JacksonJsonDeserializer<>(InvocationEvent.class, StopPlaneJson.mapper(), false));
        List<TopicPartition> partitions = reports.partitionsFor("invocation-events").stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        reports.assign(partitions);
        reports.seekToBeginning(partitions);
    }

    /** Sends the commands, keyed by instance id, in one committed transaction. */
    void send(InstanceCommand... commands) {
        producer.beginTransaction();
        for (InstanceCommand command : commands) {
            producer.send(new ProducerRecord<>("instance-commands", command.instanceId().value(), command));
        }
        producer.commitTransaction();
    }

    /** Everything reported so far about an invocation, in order; polls for more first. */
    List<InstanceStatusReported> reportsOf(InvokeId invokeId) {
        reports.poll(Duration.ofMillis(200)).forEach(record -> {
            if (record.value() instanceof InstanceStatusReported report) {
                seen.add(report);
            }
        });
        return seen.stream().filter(r -> r.invokeId().equals(invokeId)).toList();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        reports.close(Duration.ofSeconds(5));
    }
}
