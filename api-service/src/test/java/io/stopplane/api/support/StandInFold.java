package io.stopplane.api.support;

import java.time.Duration;
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
 * A stand-in for one of the dispatcher's folds (a module the API must not depend on): reads the committed records of
 * one event topic from its start, on a thread of its own, and lets {@link #fold} write what the dispatcher would write,
 * each record acknowledged before the next event, so that a test sees what it would in production.
 */
abstract class StandInFold implements SmartLifecycle {

    /** Where a fold writes: a record, or a tombstone when the value is null; returns once the broker has it. */
    interface Output {
        void send(String topic, String key, String value) throws InterruptedException, ExecutionException;
    }

    private final String bootstrap;
    private final String events;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running;
    private Thread thread;

    /** {@code events} is the API's topic: its KafkaAdmin created it before any lifecycle bean starts. */
    StandInFold(String bootstrap, String events) {
        this.bootstrap = bootstrap;
        this.events = events;
    }

    abstract void fold(ConsumerRecord<String, String> event, Output out)
            throws InterruptedException, ExecutionException;

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new StringDeserializer());
        running = true;
        thread = new Thread(this::run, "stand-in-" + events);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            Output out = (topic, key, value) -> producer.send(new ProducerRecord<>(topic, key, value)).get();
            List<TopicPartition> partitions = consumer.partitionsFor(events).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    fold(r, out);
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
