package io.stopplane.gateway.support;

import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.registry.RegistryRecord;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.topic.TopicRecord;
import io.stopplane.model.topic.Topics;
import io.stopplane.kafka.TopicRecords;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.JsonNode;

/**
 * Plays the other services' parts on the real broker: the api-service's commands, the dispatcher's registry records
 * and states; and records everything the gateway writes to the topics it writes.
 */
public final class TestBroker implements SmartLifecycle {

    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, List<ConsumerRecord<String, String>>> written = Map.of(
            Topics.INVOCATION_EVENTS.name(), new CopyOnWriteArrayList<>(),
            Topics.AGENT_HEARTBEATS.name(), new CopyOnWriteArrayList<>(),
            Topics.REGISTRY_EVENTS.name(), new CopyOnWriteArrayList<>());
    private final List<java.util.function.Consumer<ConsumerRecord<String, String>>> listeners =
            new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean running = true;

    public TestBroker(String bootstrap) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
        reader = new Thread(this::read, "test-broker-reader");
        reader.setDaemon(true);
    }

    /** Once the context has started, so the gateway has created the topics this reads. */
    @Override
    public void start() {
        reader.start();
    }

    @Override
    public boolean isRunning() {
        return reader.isAlive();
    }

    private void read() {
        try {
            List<TopicPartition> partitions = written.keySet().stream()
                    .flatMap(t -> {
                        var infos = consumer.partitionsFor(t, Duration.ofSeconds(30));
                        return infos.stream().map(p -> new TopicPartition(t, p.partition()));
                    }).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    written.get(r.topic()).add(r);
                    listeners.forEach(l -> l.accept(r));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** Every record read from a topic the gateway writes (invocation-events, agent-heartbeats, registry-events). */
    public List<JsonNode> values(String topic) {
        return written.get(topic).stream().map(r -> StopPlaneJson.mapper().readTree(r.value())).toList();
    }

    public List<ConsumerRecord<String, String>> records(String topic) {
        return List.copyOf(written.get(topic));
    }

    void onRecord(java.util.function.Consumer<ConsumerRecord<String, String>> listener) {
        listeners.add(listener);
    }

    public void command(InstanceCommand command) {
        send(TopicRecord.of(command));
    }

    public void state(InvocationState state) {
        send(TopicRecord.of(state));
    }

    /** A target record, as the dispatcher writes one for each target an event changed. */
    public void target(InvocationState state, InstanceState instance) {
        send(TopicRecord.of(state, instance));
    }

    public void registry(RegistryRecord record) {
        send(TopicRecord.of(record));
    }

    public void send(TopicRecord record) {
        TopicRecords.sendAndWait(producer, record);
    }

    public void send(String topic, String key, String value) {
        send(new TopicRecord(topic, key, value));
    }

    @Override
    public void stop() {
        running = false;
        consumer.wakeup();
        producer.close();
    }
}
