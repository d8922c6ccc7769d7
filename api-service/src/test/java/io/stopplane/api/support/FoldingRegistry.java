package io.stopplane.api.support;

import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.registry.RegistryEvent;
import io.stopplane.model.registry.RegistryFold;
import io.stopplane.model.registry.RegistryRecord;
import io.stopplane.model.registry.RegistryState;
import io.stopplane.model.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.SmartLifecycle;

/**
 * A stand-in for the dispatcher's registry fold (the API must not depend on the dispatcher): folds committed
 * {@code registry-events} with the same pure {@link RegistryFold} and writes its records and tombstones to
 * {@code agent-registry}, so the API's registry view sees what it would in production.
 */
class FoldingRegistry implements SmartLifecycle {

    private final String bootstrap;
    private final Map<String, RegistryState> states = new HashMap<>();
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running;
    private Thread thread;

    FoldingRegistry(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new StringDeserializer());
        running = true;
        thread = new Thread(this::run, "folding-registry");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    RegistryEvent event = StopPlaneJson.mapper().readValue(r.value(), RegistryEvent.class);
                    RegistryFold.Result result = RegistryFold.apply(states.get(r.key()), event);
                    states.put(r.key(), result.state());
                    for (RegistryRecord record : result.records()) {
                        producer.send(new ProducerRecord<>(Topics.AGENT_REGISTRY.name(), record.key(),
                                StopPlaneJson.mapper().writerFor(RegistryRecord.class).writeValueAsString(record)))
                                .get();
                    }
                    for (String key : result.tombstones()) {
                        producer.send(new ProducerRecord<>(Topics.AGENT_REGISTRY.name(), key, null)).get();
                    }
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            consumer.close();
        }
    }

    /** registry-events is the API's: its KafkaAdmin created it before any lifecycle bean starts. */
    private List<TopicPartition> partitions() {
        return consumer.partitionsFor(Topics.REGISTRY_EVENTS.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    @Override
    public void stop() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
