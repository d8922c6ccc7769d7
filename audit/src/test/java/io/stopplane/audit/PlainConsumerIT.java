package io.stopplane.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A consumer in the shape any language would write it: a plain {@code KafkaConsumer<String, String>}, a JSON parser
 * (Jackson 2 here, not the project's Jackson 3 mapper), the CloudEvents headers, and the published JSON Schemas. It
 * reads every record the scenario left on the four topics and checks each against the schema its ce_type names.
 */
@EmbeddedKafka(brokerProperties = {"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
class PlainConsumerIT {

    private static final List<String> TOPICS = List.of("invocation-events", "invocation-state", "invocation-outputs",
            "agent-heartbeats");
    private static final Map<String, String> TYPE_PREFIX = Map.of("invocation-events", "io.stopplane.invocation.",
            "invocation-state", "io.stopplane.state.", "invocation-outputs", "io.stopplane.output.",
            "agent-heartbeats", "io.stopplane.agent.");

    private static final Scenario S = new Scenario();
    private static String bootstrap;

    @BeforeAll
    static void publish() throws Exception {
        bootstrap = EmbeddedKafkaCondition.getBroker().getBrokersAsString();
        Broker broker = new Broker(bootstrap);
        broker.createTopics();
        broker.publishEvents(S.events);
        broker.publishFold(S.events);
        broker.publishHeartbeats(S.heartbeats);
    }

    @Test
    void everyRecordCarriesCloudEventsHeadersAndConformsToThePublishedSchemaOfItsType() {
        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> perTopic = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (ConsumerRecord<String, String> r : readAll()) {
            perTopic.merge(r.topic(), 1, Integer::sum);
            String where = r.topic() + "-" + r.partition() + "@" + r.offset();
            assertThat(header(r, "ce_specversion")).as(where).isEqualTo("1.0");
            assertThat(header(r, "ce_id")).as(where).isNotBlank();
            assertThat(header(r, "ce_source")).as(where).isNotBlank();
            assertThat(OffsetDateTime.parse(header(r, "ce_time"))).as(where).isNotNull();
            assertThat(header(r, "content-type")).as(where).isEqualTo("application/json");
            String type = header(r, "ce_type");
            assertThat(type).as(where).startsWith(TYPE_PREFIX.get(r.topic()));
            assertThat(PublishedSchemas.CE_TYPES).as(where).contains(type);

            JsonNode value;
            try {
                value = json.readTree(r.value());
            } catch (Exception e) {
                throw new AssertionError(where + " is not JSON", e);
            }
            PublishedSchemas.errors(type, value).forEach(e -> problems.add(where + " " + type + ": " + e));
            if (r.topic().equals("invocation-events")) {
                PublishedSchemas.errors("invocation-events", value).forEach(e -> problems.add(where + ": " + e));
                assertThat(type).isEqualTo("io.stopplane.invocation." + value.get("type").asText());
                assertThat(header(r, "ce_id")).isEqualTo(value.get("eventId").asText());
                assertThat(r.key()).isEqualTo(value.get("invokeId").asText());
            }
        }
        assertThat(problems).isEmpty();
        // 13 events; 12 of them change a state (a late duplicate does not); one output; two heartbeats
        assertThat(perTopic).containsExactlyInAnyOrderEntriesOf(Map.of("invocation-events", 13,
                "invocation-state", 12, "invocation-outputs", 1, "agent-heartbeats", 2));
    }

    /** Every record of the four topics, read_committed, from the start to the end they have now. */
    private static List<ConsumerRecord<String, String>> readAll() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            TOPICS.forEach(t -> consumer.partitionsFor(t)
                    .forEach(i -> partitions.add(new TopicPartition(t, i.partition()))));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
