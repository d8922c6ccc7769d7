package io.stopplane.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.json.StopPlaneJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * Poison records as the services leave them: the record stays in its topic, and spring-kafka's
 * {@code DeadLetterPublishingRecoverer} puts a copy on {@code <topic>-dlt} with its {@code kafka_dlt-*} headers.
 * {@code audit dlt} counts and shows them; timeline and verify skip the poison, as the dispatcher does, and say so.
 */
@EmbeddedKafka(brokerProperties = {"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
class DeadLetterIT {

    private static final Scenario S = new Scenario();
    private static Broker broker;
    private static RecordMetadata poison;

    @BeforeAll
    static void publish() throws Exception {
        broker = new Broker(EmbeddedKafkaCondition.getBroker().getBrokersAsString());
        broker.createTopics("invocation-events-dlt", "instance-commands-dlt");
        broker.publishEvents(S.events);
        broker.publishFold(S.events);
        byte[] value = "{not json".getBytes(StandardCharsets.UTF_8);
        try (var producer = broker.producer(null)) {
            poison = producer.send(new ProducerRecord<>("invocation-events",
                    "t-poison0001", value)).get(30, TimeUnit.SECONDS);
        }
        KafkaTemplate<byte[], byte[]> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()), new ByteArraySerializer(),
                new ByteArraySerializer()));
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template);
        recoverer.setFailIfSendResultIsError(true);
        recoverer.accept(new ConsumerRecord<>("invocation-events", poison.partition(), poison.offset(),
                "t-poison0001".getBytes(StandardCharsets.UTF_8), value),
                new IllegalArgumentException("Unrecognized token 'not': was expecting JSON"));
        for (int i = 0; i < 2; i++) {
            recoverer.accept(new ConsumerRecord<>("instance-commands", 1, 40 + i,
                    "i-audit0a1".getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, 2}),
                    new IllegalStateException("not a command"));
        }
        template.destroy();
    }

    @Test
    void auditDltCountsEachDeadLetterTopicAndShowsWhereEachRecordCameFromAndWhy() {
        Cli.Result r = Cli.run(broker.bootstrap(), "dlt");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.lines()).startsWith("instance-commands-dlt: 2 records", "invocation-events-dlt: 1 record", "");
        assertThat(r.out()).containsSubsequence("TIME", "DLT", "ORIGINAL", "GROUP", "EXCEPTION", "MESSAGE", "KEY",
                "VALUE");
        assertThat(r.lines()).anyMatch(l -> l.contains("invocation-events-" + poison.partition() + "@"
                + poison.offset()) && l.contains("IllegalArgumentException")
                && l.contains("Unrecognized token 'not'") && l.contains("t-poison0001") && l.contains("{not json"));
        assertThat(r.lines()).filteredOn(l -> l.contains("instance-commands-1@4")).hasSize(2)
                .allMatch(l -> l.contains("IllegalStateException") && l.contains("not a command"));
    }

    @Test
    void oneDeadLetterTopicAsJson() {
        Cli.Result r = Cli.run(broker.bootstrap(), "dlt", "--topic", "invocation-events", "--format", "json");

        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonNode> lines = r.lines().stream().map(l -> StopPlaneJson.mapper().readTree(l)).toList();
        assertThat(lines).hasSize(1);
        JsonNode d = lines.get(0);
        assertThat(d.get("topic").asString()).isEqualTo("invocation-events-dlt");
        assertThat(d.get("originalTopic").asString()).isEqualTo("invocation-events");
        assertThat(d.get("originalPartition").asInt()).isEqualTo(poison.partition());
        assertThat(d.get("originalOffset").asLong()).isEqualTo(poison.offset());
        assertThat(d.get("exception").asString()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(d.get("key").asString()).isEqualTo("t-poison0001");
        assertThat(d.get("value").asString()).isEqualTo("{not json");
    }

    @Test
    void timelineAndVerifySkipThePoisonAsTheDispatcherDoesAndSaySo() {
        Cli.Result verify = Cli.run(broker.bootstrap(), "verify");
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(verify.err()).contains("1 record of invocation-events could not be read as events");

        Cli.Result timeline = Cli.run(broker.bootstrap(), "timeline", "--format", "json");
        assertThat(timeline.exit()).isZero();
        assertThat(timeline.lines()).hasSize(S.events.size());
        assertThat(timeline.err()).contains("see 'audit dlt'");
    }
}
