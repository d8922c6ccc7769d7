package io.stopplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.api.support.Agents;
import io.stopplane.api.support.ApiITSupport;
import io.stopplane.api.support.RpcHttp.Transport;
import io.stopplane.model.topic.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;

/**
 * A record the API's readers cannot read (on {@code invocation-state}, {@code invocation-outputs},
 * {@code agent-heartbeats}) goes to its {@code <topic>-dlt} with spring-kafka's headers, is counted, and the reader
 * goes on: what follows it on the same partition is served. The poison is written to every partition, so whatever
 * partition the good record lands on, it comes after one.
 */
class DeadLetterIT extends ApiITSupport {

    private static final String POISON = "{not json";

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    MeterRegistry meters;

    @Test
    void unreadableStatesAndOutputsAreDeadLetteredAndTheRunAfterThemIsDescribedWithItsOutput() {
        String state = Topics.INVOCATION_STATE.name();
        String outputs = Topics.INVOCATION_OUTPUTS.name();
        double statesBefore = deadLetters(state);
        double outputsBefore = deadLetters(outputs);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Map<String, long[]> poisonedStates = poison(state, p -> "t-poison" + tag + p);
        Map<String, long[]> poisonedOutputs = poison(outputs, p -> "t-poison" + tag + p + "/i-poison0001");

        register("i-dlt0001");
        String invokeId = run("i-dlt0001");
        kafka.event(Agents.succeeded(invokeId, "i-dlt0001", "after the poison\n"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode instance = http.ok(Transport.GET, Map.of("Action", "DescribeInvocations", "RegionId", REGION,
                    "InvokeId", invokeId, "IncludeOutput", "true", "ContentEncoding", "PlainText"))
                    .get("Invocations").get("Invocation").get(0).get("InvokeInstances").get("InvokeInstance").get(0);
            assertThat(instance.get("InvocationStatus").asString()).isEqualTo("Success");
            assertThat(instance.get("Output").asString()).isEqualTo("after the poison\n");
        });

        assertDeadLettered(state, poisonedStates);
        assertDeadLettered(outputs, poisonedOutputs);
        assertThat(deadLetters(state)).isEqualTo(statesBefore + poisonedStates.size());
        assertThat(deadLetters(outputs)).isEqualTo(outputsBefore + poisonedOutputs.size());
    }

    @Test
    void anUnreadableHeartbeatIsDeadLetteredAndTheAgentAfterItIsRegistered() {
        String heartbeats = Topics.AGENT_HEARTBEATS.name();
        double before = deadLetters(heartbeats);
        Map<String, long[]> poisoned = poison(heartbeats, p -> "i-poisonbeat" + p);

        register("i-dlt0002");

        assertDeadLettered(heartbeats, poisoned);
        assertThat(deadLetters(heartbeats)).isEqualTo(before + poisoned.size());
        assertThat(agents.all()).noneMatch(b -> b.instanceId().value().startsWith("i-poisonbeat"));
    }

    /** Writes the poison to every partition; returns key → {partition, offset}. */
    private Map<String, long[]> poison(String topic, IntFunction<String> key) {
        Map<String, long[]> written = new HashMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), new StringSerializer(),
                new StringSerializer())) {
            int partitions = producer.partitionsFor(topic).size();
            for (int p = 0; p < partitions; p++) {
                var meta = producer.send(new ProducerRecord<>(topic, p, key.apply(p), POISON)).get();
                written.put(key.apply(p), new long[] {meta.partition(), meta.offset()});
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return written;
    }

    private void assertDeadLettered(String topic, Map<String, long[]> poisoned) {
        Map<String, ConsumerRecord<String, String>> seen = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, String> dlt = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = dlt.partitionsFor(topic + "-dlt").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            dlt.assign(partitions);
            dlt.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                dlt.poll(Duration.ofMillis(200)).forEach(r -> seen.put(r.key(), r));
                return seen.keySet().containsAll(poisoned.keySet());
            });
        }
        poisoned.forEach((key, at) -> {
            ConsumerRecord<String, String> r = seen.get(key);
            assertThat(r.value()).isEqualTo(POISON);
            assertThat(text(r, "kafka_dlt-original-topic")).isEqualTo(topic);
            assertThat(ByteBuffer.wrap(r.headers().lastHeader("kafka_dlt-original-partition").value()).getInt())
                    .isEqualTo((int) at[0]);
            assertThat(ByteBuffer.wrap(r.headers().lastHeader("kafka_dlt-original-offset").value()).getLong())
                    .isEqualTo(at[1]);
            assertThat(text(r, "kafka_dlt-exception-fqcn")).isNotBlank();
            assertThat(text(r, "kafka_dlt-exception-message")).isNotBlank();
        });
    }

    private double deadLetters(String topic) {
        return meters.get("stopplane.dead.letters").tag("service", "api-service").tag("topic", topic).counter()
                .count();
    }

    private static String text(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
