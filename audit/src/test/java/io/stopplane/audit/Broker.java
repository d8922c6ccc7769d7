package io.stopplane.audit;

import static org.awaitility.Awaitility.await;

import io.stopplane.audit.replay.EventLog;
import io.stopplane.model.event.CloudEvents;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InstanceOutput;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.topic.TopicSpec;
import io.stopplane.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes to the test broker what the services would: the catalogue's topics, events with their CloudEvents headers and
 * record times, and the dispatcher's output (a state record per changing event, outputs) in transactions.
 */
final class Broker {

    static final String SOURCE = "/stopplane/audit-test";
    static final int PARTITIONS = 3;

    private final String bootstrap;

    Broker(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    String bootstrap() {
        return bootstrap;
    }

    void createTopics(String... extra) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (TopicSpec spec : Topics.ALL) {
                topics.add(new NewTopic(spec.name(), PARTITIONS, (short) 1).configs(spec.configs()));
            }
            for (String name : extra) {
                topics.add(new NewTopic(name, PARTITIONS, (short) 1));
            }
            admin.createTopics(topics).all().get();
            // a send to a partition whose leader is not elected yet is retried, and a retried idempotent batch was
            // seen refused as out of order for minutes: nothing is sent before every partition has its leader
            List<String> names = topics.stream().map(NewTopic::name).toList();
            await("every partition has a leader").atMost(Duration.ofMinutes(2))
                    .until(() -> admin.describeTopics(names).allTopicNames().get().values().stream()
                            .allMatch(d -> d.partitions().size() == PARTITIONS
                                    && d.partitions().stream().allMatch(p -> p.leader() != null)));
        }
    }

    void publishEvents(List<? extends InvocationEvent> events) {
        try (KafkaProducer<String, byte[]> producer = producer(null)) {
            for (InvocationEvent e : events) {
                producer.send(record(Topics.INVOCATION_EVENTS.name(), e.invokeId().value(), e.occurredAt().toEpochMilli(),
                        StopPlaneJson.mapper().writerFor(InvocationEvent.class).writeValueAsBytes(e),
                        CloudEvents.of(e, SOURCE)));
            }
        }
    }

    void publishRaw(String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = producer(null)) {
            producer.send(new ProducerRecord<>(topic, key, value));
        }
    }

    /** The dispatcher's writes for these events: each changed state, and each output, in one transaction per event. */
    Map<String, InvocationState> publishFold(List<? extends InvocationEvent> events) {
        Map<String, InvocationState> states = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = producer("audit-test-dispatcher-" + UUID.randomUUID())) {
            producer.initTransactions();
            for (InvocationEvent e : events) {
                String key = e.invokeId().value();
                InvocationState before = states.get(key);
                InvocationState folded = InvocationFold.apply(before, e);
                if (folded == null || folded == before) {
                    continue;
                }
                producer.beginTransaction();
                for (InstanceOutput o : folded.outputs()) {
                    producer.send(record(Topics.INVOCATION_OUTPUTS.name(), o.key(), o.at().toEpochMilli(),
                            StopPlaneJson.mapper().writeValueAsBytes(o),
                            CloudEvents.headers(o.key(), CloudEvents.TYPE_PREFIX + "output.InstanceOutput", SOURCE,
                                    o.at())));
                }
                InvocationState after = folded.withoutOutputs();
                states.put(key, after);
                producer.send(state(after));
                producer.commitTransaction();
            }
        }
        awaitCommitted(Topics.INVOCATION_STATE.name(), Topics.INVOCATION_OUTPUTS.name());
        return states;
    }

    /** Until the commit markers have landed: a read_committed reader then sees every committed record. */
    void awaitCommitted(String... topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> committed = consumer(p, "read_committed");
                KafkaConsumer<byte[], byte[]> all = consumer(p, "read_uncommitted")) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : topics) {
                committed.partitionsFor(t).forEach(i -> partitions.add(new TopicPartition(t, i.partition())));
            }
            Map<TopicPartition, Long> written = all.endOffsets(partitions);
            // the last stable offset passes what was written once the commit markers (one offset each) have landed
            await().atMost(Duration.ofSeconds(30)).until(() -> committed.endOffsets(partitions).entrySet().stream()
                    .allMatch(e -> e.getValue() >= written.get(e.getKey())));
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Properties base, String isolation) {
        Properties p = new Properties();
        p.putAll(base);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Writes one state record as the dispatcher would, committed or aborted. */
    void publishState(InvocationState state, boolean commit) {
        try (KafkaProducer<String, byte[]> producer = producer("audit-test-writer-" + UUID.randomUUID())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(state(state));
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.flush();
                producer.abortTransaction();
            }
        }
    }

    void publishTombstone(String topic, String key) {
        try (KafkaProducer<String, byte[]> producer = producer(null)) {
            producer.send(new ProducerRecord<>(topic, key, null));
        }
    }

    void publishHeartbeats(List<AgentHeartbeat> beats) {
        try (KafkaProducer<String, byte[]> producer = producer(null)) {
            for (AgentHeartbeat b : beats) {
                producer.send(record(Topics.AGENT_HEARTBEATS.name(), b.instanceId().value(), b.at().toEpochMilli(),
                        StopPlaneJson.mapper().writeValueAsBytes(b), CloudEvents.of(b, SOURCE)));
            }
        }
    }

    static ProducerRecord<String, byte[]> state(InvocationState s) {
        return record(Topics.INVOCATION_STATE.name(), s.invokeId().value(), s.updateTime().toEpochMilli(),
                StopPlaneJson.mapper().writeValueAsBytes(s), CloudEvents.of(s, SOURCE));
    }

    static ProducerRecord<String, byte[]> record(String topic, String key, long timestamp, byte[] value,
            Map<String, String> headers) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, null, timestamp, key, value);
        headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    /**
     * For the bulk of a test's log: not idempotent, one request in flight per connection, so the log keeps the order it
     * was sent in and a retry is never refused as out of order (an idempotent producer's retried batch was, for
     * minutes, on a loaded machine); every send's outcome is still the caller's to check.
     */
    KafkaProducer<String, byte[]> bulkProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    KafkaProducer<String, byte[]> producer(String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** The dispatcher's final state per invocation, folded here without Kafka. */
    static Map<String, InvocationState> fold(List<? extends InvocationEvent> events) {
        Map<String, InvocationState> states = new HashMap<>();
        for (InvocationEvent e : events) {
            InvocationState before = states.get(e.invokeId().value());
            InvocationState after = EventLog.fold(before, e);
            if (after != before) {
                states.put(e.invokeId().value(), after);
            }
        }
        return states;
    }
}
