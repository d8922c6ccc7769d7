package io.stopplane.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.registry.ActivationCreated;
import io.stopplane.model.registry.ActivationRecord;
import io.stopplane.model.registry.ManagedInstanceRecord;
import io.stopplane.model.registry.RegistrationError;
import io.stopplane.model.registry.RegistrationOutcome;
import io.stopplane.model.registry.RegistrationRequested;
import io.stopplane.model.registry.RegistryEvent;
import io.stopplane.model.registry.RegistryKeys;
import io.stopplane.model.registry.RegistryRecord;
import io.stopplane.model.sign.Hashing;
import io.stopplane.kafka.TopicRecords;
import io.stopplane.model.topic.TopicRecord;
import io.stopplane.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.ActiveProfiles;

/** The registry fold on a real broker: registry events in, activations, instances and verdicts out, committed only. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "stopplane.topics.partitions=3",
    "spring.kafka.streams.state-dir=${java.io.tmpdir}/stopplane-dispatcher-registry-it-${random.uuid}"
})
@EmbeddedKafka(partitions = 3, brokerProperties = {
    "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
@ActiveProfiles("test")
class RegistryFoldIT {

    private static final String CODE = "code-" + UUID.randomUUID();
    private static final Caller CALLER = new Caller("1234", "AK", "127.0.0.1", "REQ");

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    MeterRegistry meters;

    private KafkaConsumer<String, String> consumer;
    private final Map<String, RegistryRecord> latest = new ConcurrentHashMap<>();
    private final Map<String, String> ceTypes = new ConcurrentHashMap<>();

    @BeforeEach
    void clients() {
        Map<String, Object> c = KafkaTestUtils.consumerProps(broker, "registry-it-" + UUID.randomUUID(), false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(Topics.AGENT_REGISTRY.name()));
    }

    @AfterEach
    void close() {
        consumer.close();
    }

    @Test
    void aRegistrationIsAcceptedWithTheActivationsAccountAndCounted() {
        String activation = activationId();
        send(created(activation, 5, Instant.now().plus(Duration.ofHours(4))));
        RegistrationRequested request = register(activation, "mi-" + suffix(), Instant.now());
        send(request);

        RegistrationOutcome outcome = awaitRecord(RegistryKeys.registration(request.requestId()),
                RegistrationOutcome.class);
        assertThat(outcome.accepted()).isTrue();
        assertThat(outcome.instanceId()).isEqualTo(request.instanceId());
        ManagedInstanceRecord instance = awaitRecord(RegistryKeys.instance(request.instanceId()),
                ManagedInstanceRecord.class);
        assertThat(instance.accountId()).isEqualTo("1234");
        assertThat(instance.publicKey()).isEqualTo(request.publicKey());
        assertThat(awaitRecord(RegistryKeys.activation(activation), ActivationRecord.class).registeredCount())
                .isEqualTo(1);
        assertThat(ceTypes.get(RegistryKeys.instance(request.instanceId())))
                .isEqualTo("io.stopplane.state.ManagedInstance");
        assertThat(meters.get("stopplane.registrations").tag("outcome", "Accepted").counter().count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void ofTwoConcurrentRegistrationsForTheLastSlotExactlyOneWins() throws Exception {
        String activation = activationId();
        send(created(activation, 2, Instant.now().plus(Duration.ofHours(4))));
        RegistrationRequested first = register(activation, "mi-" + suffix(), Instant.now());
        send(first);
        awaitRecord(RegistryKeys.registration(first.requestId()), RegistrationOutcome.class);

        RegistrationRequested a = register(activation, "mi-" + suffix(), Instant.now());
        RegistrationRequested b = register(activation, "mi-" + suffix(), Instant.now());
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Void> sendA = CompletableFuture.runAsync(() -> awaitThenSend(go, a));
        CompletableFuture<Void> sendB = CompletableFuture.runAsync(() -> awaitThenSend(go, b));
        go.countDown();
        CompletableFuture.allOf(sendA, sendB).get();

        RegistrationOutcome outcomeA = awaitRecord(RegistryKeys.registration(a.requestId()), RegistrationOutcome.class);
        RegistrationOutcome outcomeB = awaitRecord(RegistryKeys.registration(b.requestId()), RegistrationOutcome.class);
        assertThat(List.of(outcomeA, outcomeB)).filteredOn(RegistrationOutcome::accepted).hasSize(1);
        assertThat(List.of(outcomeA, outcomeB)).filteredOn(o -> !o.accepted()).singleElement()
                .extracting(RegistrationOutcome::errorCode).isEqualTo(RegistrationError.COUNT_EXCEEDED.code());
        ActivationRecord counted = awaitRecord(RegistryKeys.activation(activation), ActivationRecord.class,
                r -> r.registeredCount() == 2);
        assertThat(counted.instanceCount()).isEqualTo(2);
    }

    @Test
    void aRegistrationAfterTheActivationExpiredIsRefused() {
        String activation = activationId();
        Instant expiresAt = Instant.now().plus(Duration.ofHours(1));
        send(created(activation, 5, expiresAt));
        RegistrationRequested late = register(activation, "mi-" + suffix(), expiresAt.plusSeconds(1));
        send(late);
        RegistrationOutcome outcome = awaitRecord(RegistryKeys.registration(late.requestId()),
                RegistrationOutcome.class);
        assertThat(outcome.errorCode()).isEqualTo("Activation.Expired");
        assertThat(latest).doesNotContainKey(RegistryKeys.instance(late.instanceId()));
        assertThat(awaitRecord(RegistryKeys.activation(activation), ActivationRecord.class).registeredCount())
                .isZero();
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheFoldGoesOn() throws Exception {
        double before = meters.get("stopplane.dead.letters").tag("service", "dispatcher")
                .tag("topic", Topics.REGISTRY_EVENTS.name()).counter().count();
        try (KafkaProducer<String, String> raw = new KafkaProducer<>(KafkaTestUtils.producerProps(broker),
                new StringSerializer(), new StringSerializer())) {
            raw.send(new ProducerRecord<>(Topics.REGISTRY_EVENTS.name(), "poison-1", "{not json")).get();
            raw.send(new ProducerRecord<>(Topics.REGISTRY_EVENTS.name(), "poison-2",
                    "{\"type\":\"RegistrationRequested\",\"activationId\":\"poison-2\"}")).get();
        }
        String activation = activationId();
        send(created(activation, 1, Instant.now().plus(Duration.ofHours(1))));
        awaitRecord(RegistryKeys.activation(activation), ActivationRecord.class);

        Map<String, Object> c = KafkaTestUtils.consumerProps(broker, "dlt-" + UUID.randomUUID(), false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> dlt = new KafkaConsumer<>(c, new StringDeserializer(),
                new StringDeserializer())) {
            dlt.subscribe(List.of(Topics.REGISTRY_EVENTS.name() + "-dlt"));
            Map<String, ConsumerRecord<String, String>> seen = new ConcurrentHashMap<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                dlt.poll(Duration.ofMillis(200)).forEach(r -> seen.put(r.key(), r));
                return seen.keySet().containsAll(List.of("poison-1", "poison-2"));
            });
            assertThat(seen.get("poison-1").value()).isEqualTo("{not json");
            assertThat(new String(seen.get("poison-2").headers().lastHeader("kafka_dlt-original-topic").value(),
                    StandardCharsets.UTF_8)).isEqualTo(Topics.REGISTRY_EVENTS.name());
        }
        assertThat(meters.get("stopplane.dead.letters").tag("service", "dispatcher")
                .tag("topic", Topics.REGISTRY_EVENTS.name()).counter().count()).isGreaterThanOrEqualTo(before + 2);
    }

    private void awaitThenSend(CountDownLatch go, RegistryEvent event) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        send(event);
    }

    private <T extends RegistryRecord> T awaitRecord(String key, Class<T> type) {
        return awaitRecord(key, type, r -> true);
    }

    private <T extends RegistryRecord> T awaitRecord(String key, Class<T> type, java.util.function.Predicate<T> when) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.value() == null) {
                    latest.remove(r.key());
                    continue;
                }
                latest.put(r.key(), StopPlaneJson.mapper().readValue(r.value(), RegistryRecord.class));
                var ceType = r.headers().lastHeader("ce_type");
                ceTypes.put(r.key(), ceType == null ? "" : new String(ceType.value(), StandardCharsets.UTF_8));
            }
            RegistryRecord r = latest.get(key);
            return type.isInstance(r) && when.test(type.cast(r));
        });
        return type.cast(latest.get(key));
    }

    /** One producer per send, as separate gateways would be. */
    private void send(RegistryEvent event) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(KafkaTestUtils.producerProps(broker),
                new StringSerializer(), new StringSerializer())) {
            TopicRecords.sendAndWait(producer, TopicRecord.of(event));
        }
    }

    private static ActivationCreated created(String activationId, int count, Instant expiresAt) {
        return new ActivationCreated(UUID.randomUUID().toString(), activationId, Instant.now(), "1234",
                RegionId.of("cn-hangzhou"), null, count, expiresAt, null, null,
                Hashing.sha256Hex(CODE.getBytes(StandardCharsets.UTF_8)), CALLER);
    }

    private static RegistrationRequested register(String activationId, String instanceId, Instant at) {
        return new RegistrationRequested(UUID.randomUUID().toString(), activationId, at, UUID.randomUUID().toString(),
                InstanceId.of(instanceId), Hashing.sha256Hex(CODE.getBytes(StandardCharsets.UTF_8)), publicKey(),
                "Ed25519", "127.0.0.1", "host", "linux", "0.1.0", "gw-it");
    }

    private static String publicKey() {
        try {
            return Base64.getEncoder().encodeToString(
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String activationId() {
        return UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }
}
