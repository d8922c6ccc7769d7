package io.stopplane.api.support;

import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InstanceOutput;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
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
 * A stand-in for the dispatcher (a module the API must not depend on): folds committed {@code invocation-events} with
 * the same pure fold and writes each new state to {@code invocation-state} and each reported output to
 * {@code invocation-outputs}, as the dispatcher does, so the API sees what it would in production: StopTime, Stopping,
 * reported outcomes and outputs.
 */
class FoldingDispatcher implements SmartLifecycle {

    private final String bootstrap;
    private final Map<InvokeId, InvocationState> states = new HashMap<>();
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running;
    private Thread thread;

    FoldingDispatcher(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new StringDeserializer());
        running = true;
        thread = new Thread(this::run, "folding-dispatcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.INVOCATION_EVENTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    InvocationEvent event = StopPlaneJson.mapper().readValue(r.value(), InvocationEvent.class);
                    InvocationState before = states.get(event.invokeId());
                    InvocationState after = InvocationFold.apply(before, event);
                    if (after != null && after != before) {
                        for (InstanceOutput output : after.outputs()) {
                            producer.send(new ProducerRecord<>(Topics.INVOCATION_OUTPUTS.name(), output.key(),
                                    StopPlaneJson.mapper().writeValueAsString(output))).get();
                        }
                        InvocationState stored = after.withoutOutputs();
                        states.put(event.invokeId(), stored);
                        producer.send(new ProducerRecord<>(Topics.INVOCATION_STATE.name(), r.key(),
                                StopPlaneJson.mapper().writeValueAsString(stored))).get();
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
