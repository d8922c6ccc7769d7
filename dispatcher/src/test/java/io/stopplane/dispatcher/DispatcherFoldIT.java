package io.stopplane.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.state.InvocationTarget;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.status.InvocationStatus;
import io.stopplane.model.topic.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.ActiveProfiles;

/** The dispatcher on a real broker: events in, the folded state out on the compacted topic, committed only. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "stopplane.topics.partitions=3",
    "stopplane.dispatcher.timers.delivery-timeout=2s",
    "stopplane.dispatcher.timers.stop-timeout=2s",
    "spring.kafka.streams.state-dir=${java.io.tmpdir}/stopplane-dispatcher-it-${random.uuid}"
})
@EmbeddedKafka(partitions = 3, brokerProperties = {
    "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
@ActiveProfiles("test")
class DispatcherFoldIT {

    private static final InstanceId A = InstanceId.of("i-fold0001");
    private static final InstanceId B = InstanceId.of("i-fold0002");

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Autowired
    io.stopplane.dispatcher.state.HeartbeatTable heartbeats;

    @LocalServerPort
    int port;

    private KafkaProducer<String, InvocationEvent> producer;
    private KafkaConsumer<String, byte[]> consumer;
    private final Map<String, InvocationState> latest = new ConcurrentHashMap<>();
    private final Map<String, String> ceTypes = new ConcurrentHashMap<>();

    @BeforeEach
    void clients() {
        Map<String, Object> p = KafkaTestUtils.producerProps(broker);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        JacksonJsonSerializer<InvocationEvent> values = new JacksonJsonSerializer<>(StopPlaneJson.mapper());
        values.setAddTypeInfo(false);
        producer = new KafkaProducer<>(p, new StringSerializer(), values);
        Map<String, Object> c = KafkaTestUtils.consumerProps(broker, "fold-it-" + UUID.randomUUID(), false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.INVOCATION_STATE.name()));
    }

    @AfterEach
    void close() {
        producer.close();
        consumer.close();
    }

    @Test
    void foldsRunStopAndTerminationIntoStoppedState() {
        InvokeId id = InvokeId.random();
        send(created(id, A, B));
        send(report(id, A, InstanceStatus.RUNNING, null, null));
        send(report(id, B, InstanceStatus.RUNNING, null, null));
        send(new StopRequested(UUID.randomUUID().toString(), id, Instant.now(), List.of(A),
                new Caller(null, null, "127.0.0.1", "REQ")));
        send(report(id, A, InstanceStatus.TERMINATED, 143, "ExecutionInterrupted"));

        InvocationState state = awaitState(id, s -> s.instance(A).orElseThrow().status() == InstanceStatus.TERMINATED);
        assertThat(state.instance(B).orElseThrow().status()).isEqualTo(InstanceStatus.RUNNING);
        assertThat(state.instance(A).orElseThrow().exitCode()).isEqualTo(143);
        assertThat(state.instance(A).orElseThrow().stopTime()).isNotNull();
        assertThat(state.invocationStatus()).isEqualTo(InvocationStatus.RUNNING);

        send(new StopRequested(UUID.randomUUID().toString(), id, Instant.now(), List.of(),
                new Caller(null, null, "127.0.0.1", "REQ2")));
        send(report(id, B, InstanceStatus.TERMINATED, 143, "ExecutionInterrupted"));
        InvocationState stopped = awaitState(id, s -> s.invocationStatus() == InvocationStatus.STOPPED);
        assertThat(stopped.instances()).allMatch(i -> i.status() == InstanceStatus.TERMINATED);
        assertThat(ceTypes.get(id.value())).isEqualTo("io.stopplane.state.InvocationState");
        assertThat(meters.find("stopplane.events.folded").tag("type", "StopRequested").counter().count())
                .isGreaterThanOrEqualTo(2);
        assertThat(meters.find("stopplane.invocations.finished").tag("status", "Stopped").counter().count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void prometheusShowsTheStopLatencyFromStopTimeToTheStoppedReportAndTheFoldsMeters() throws Exception {
        io.micrometer.core.instrument.Timer latency =
                meters.find("stopplane.stop.latency").tag("status", "Terminated").timer();
        long countBefore = latency.count();
        double secondsBefore = latency.totalTime(java.util.concurrent.TimeUnit.SECONDS);
        InvokeId id = InvokeId.random();
        Instant stopAt = Instant.now();
        send(created(id, A));
        send(report(id, A, InstanceStatus.RUNNING, null, null));
        send(new StopRequested(UUID.randomUUID().toString(), id, stopAt, List.of(),
                new Caller(null, null, "127.0.0.1", "REQ")));
        send(new InstanceStatusReported(UUID.randomUUID().toString(), id, stopAt.plusMillis(1500), A,
                InstanceStatus.TERMINATED, 143, "ExecutionInterrupted", null, null, 0));
        awaitState(id, s -> s.invocationStatus() == InvocationStatus.STOPPED);

        // one stop, recorded once: the report's time minus the StopTime
        assertThat(latency.count() - countBefore).isEqualTo(1);
        assertThat(latency.totalTime(java.util.concurrent.TimeUnit.SECONDS) - secondsBefore)
                .isCloseTo(1.5, org.assertj.core.data.Offset.offset(0.001));
        HttpResponse<String> scrape = get("/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .contains("# HELP stopplane_stop_latency_seconds StopInvocation accepted")
                .containsPattern("stopplane_stop_latency_seconds_bucket\\{status=\"Terminated\",le=\"[0-9.]+\"\\}")
                .containsPattern("stopplane_stop_latency_seconds_count\\{status=\"Terminated\"\\} [1-9]")
                .contains("stopplane_stop_latency_seconds_count{status=\"Cancelled\"}")
                .contains("stopplane_events_folded_total{type=\"StopRequested\"}")
                .contains("stopplane_invocations_finished_total{status=\"Stopped\"}")
                .contains("stopplane_invocations_active{status=\"Running\"}")
                .contains("kafka_consumer_fetch_manager_records_lag_max{");
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"fold\"", "\"readinessState\"");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }

    /**
     * Issue #15's bound, counted on the broker: a 100-target invocation run to the end (Running, then Success, for each
     * target) writes at most 3× its final state's bytes (key and value bytes of every record of this invocation) to
     * {@code invocation-state}, and as much again at most to the fold stores' changelogs, where rewriting the whole
     * state on each report wrote 159× to each (docs/architecture.md).
     */
    @Test
    void aHundredTargetInvocationWritesAtMostThreeTimesItsFinalStateBytes() throws Exception {
        InvokeId id = InvokeId.random();
        InstanceId[] targets = new InstanceId[100];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = InstanceId.of(String.format("i-amp%08d", i));
        }
        send(created(id, targets));
        for (InstanceId t : targets) {
            send(report(id, t, InstanceStatus.RUNNING, null, null));
        }
        for (InstanceId t : targets) {
            send(report(id, t, InstanceStatus.SUCCESS, 0, null));
        }
        InvocationState done = awaitState(id, s -> s.invocationStatus() == InvocationStatus.SUCCESS);
        assertThat(done.version()).isEqualTo(201);

        long finalBytes = id.value().length() + StopPlaneJson.mapper().writeValueAsBytes(done).length;
        StateWrites writes = new StateWrites(KafkaTestUtils.consumerProps(broker, "writes-" + UUID.randomUUID(),
                false));
        long state = writes.bytes(Topics.INVOCATION_STATE.name(), id);
        long changelogs = writes.bytes("stopplane-dispatcher-invocation-state-store-changelog", id)
                + writes.bytes("stopplane-dispatcher-invocation-targets-store-changelog", id);
        System.out.printf("state_write_amplification_100_targets: invocation-state %.2f, store changelogs %.2f "
                + "(%,d B and %,d B written, final state %,d B)%n", (double) state / finalBytes,
                (double) changelogs / finalBytes, state, changelogs, finalBytes);
        assertThat(state).isPositive().isLessThanOrEqualTo(3 * finalBytes);
        assertThat(changelogs).isPositive().isLessThanOrEqualTo(3 * finalBytes);
    }

    @Test
    void lateReportAfterTerminalDoesNotChangeState() {
        InvokeId id = InvokeId.random();
        send(created(id, A));
        send(report(id, A, InstanceStatus.RUNNING, null, null));
        send(new InstanceStatusReported(UUID.randomUUID().toString(), id, Instant.now(), A, InstanceStatus.FAILED, 3,
                "ExitCodeNonzero", null, "oops\n", 7));
        send(report(id, A, InstanceStatus.SUCCESS, 0, null));
        send(report(id, A, InstanceStatus.RUNNING, null, null));
        InvocationState failed = awaitState(id, s -> s.invocationStatus() == InvocationStatus.FAILED);
        // the two late reports produced no state record: the version is created + running + failed
        assertThat(failed.version()).isEqualTo(3);
        assertThat(failed.instance(A).orElseThrow().exitCode()).isEqualTo(3);
        // the output went to invocation-outputs, not into the state record
        assertThat(failed.instance(A).orElseThrow().output()).isNull();
        assertThat(failed.instance(A).orElseThrow().dropped()).isEqualTo(7);
        try (KafkaConsumer<String, String> outputs = new KafkaConsumer<>(
                KafkaTestUtils.consumerProps(broker, "outputs-" + UUID.randomUUID(), false), new StringDeserializer(),
                new StringDeserializer())) {
            outputs.subscribe(List.of(Topics.INVOCATION_OUTPUTS.name()));
            Map<String, String> seen = new ConcurrentHashMap<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                outputs.poll(Duration.ofMillis(200)).forEach(r -> seen.put(r.key(), r.value()));
                return seen.containsKey(id.value() + "/" + A.value());
            });
            assertThat(seen.get(id.value() + "/" + A.value())).contains("\"output\":\"oops\\n\"")
                    .contains("\"dropped\":7");
        }
    }

    @Test
    void aRunNoAgentPicksUpIsAbortedAfterTheDeliveryTimeout() {
        InvokeId id = InvokeId.random();
        send(created(id, InstanceId.of("i-nobody0001")));
        InvocationState aborted = awaitState(id, s -> s.invocationStatus() == InvocationStatus.FAILED);
        InstanceStateAssert.assertAborted(aborted.instances().get(0));
    }

    @Test
    void anUnacknowledgedStopStaysStoppingWithAReasonAndCompletesWhenTheAgentReports() {
        InvokeId id = InvokeId.random();
        send(created(id, A));
        send(report(id, A, InstanceStatus.RUNNING, null, null));
        send(new StopRequested(UUID.randomUUID().toString(), id, Instant.now(), List.of(),
                new Caller(null, null, "127.0.0.1", "REQ")));
        InvocationState flagged = awaitState(id, s -> s.instance(A).orElseThrow().errorInfo() != null);
        assertThat(flagged.instance(A).orElseThrow().status()).isEqualTo(InstanceStatus.STOPPING);
        assertThat(flagged.instance(A).orElseThrow().errorCode()).isEqualTo("ClientNotRunning");
        assertThat(flagged.instance(A).orElseThrow().errorInfo()).contains("not been acknowledged");

        send(report(id, A, InstanceStatus.TERMINATED, 137, "ExecutionInterrupted"));
        InvocationState stopped = awaitState(id, s -> s.invocationStatus() == InvocationStatus.STOPPED);
        assertThat(stopped.instance(A).orElseThrow().errorCode()).isEqualTo("ExecutionInterrupted");
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheFoldGoesOn() {
        double before = deadLetters(Topics.INVOCATION_EVENTS.name());
        Map<String, Object> p = KafkaTestUtils.producerProps(broker);
        long poisonOffset;
        try (KafkaProducer<String, String> raw = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            poisonOffset = raw.send(new ProducerRecord<>(Topics.INVOCATION_EVENTS.name(), "t-poison1", "{not json"))
                    .get().offset();
            raw.send(new ProducerRecord<>(Topics.INVOCATION_EVENTS.name(), "t-poison2",
                    "{\"type\":\"StopRequested\",\"invokeId\":\"not an id\"}"));
            raw.flush();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        InvokeId id = InvokeId.random();
        send(created(id, A));
        assertThat(awaitState(id, s -> true).invocationStatus()).isEqualTo(InvocationStatus.PENDING);
        Map<String, ConsumerRecord<String, String>> seen = deadLetters(Topics.INVOCATION_EVENTS.name() + "-dlt",
                "t-poison1", "t-poison2");
        ConsumerRecord<String, String> poison = seen.get("t-poison1");
        assertThat(poison.value()).isEqualTo("{not json");
        assertThat(header(poison, "kafka_dlt-original-topic")).isEqualTo(Topics.INVOCATION_EVENTS.name());
        assertThat(java.nio.ByteBuffer.wrap(poison.headers().lastHeader("kafka_dlt-original-offset").value()).getLong())
                .isEqualTo(poisonOffset);
        assertThat(poison.headers().lastHeader("kafka_dlt-original-partition")).isNotNull();
        assertThat(header(poison, "kafka_dlt-exception-fqcn")).isNotBlank();
        assertThat(header(seen.get("t-poison2"), "kafka_dlt-exception-message")).isNotBlank();
        assertThat(deadLetters(Topics.INVOCATION_EVENTS.name())).isGreaterThanOrEqualTo(before + 2);
    }

    @Test
    void anUnreadableHeartbeatGoesToTheDeadLetterTopicAndTheHeartbeatTableGoesOn() throws Exception {
        double before = deadLetters(Topics.AGENT_HEARTBEATS.name());
        InstanceId next = InstanceId.of("i-beat0002");
        try (KafkaProducer<String, String> raw = new KafkaProducer<>(KafkaTestUtils.producerProps(broker),
                new StringSerializer(), new StringSerializer())) {
            raw.send(new ProducerRecord<>(Topics.AGENT_HEARTBEATS.name(), "i-beat0001", "{not json")).get();
            raw.send(new ProducerRecord<>(Topics.AGENT_HEARTBEATS.name(), next.value(),
                    StopPlaneJson.mapper().writeValueAsString(new io.stopplane.model.heartbeat.AgentHeartbeat(next,
                            RegionId.of("cn-hangzhou"), null, "it", "host", Instant.now())))).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> heartbeats.get(next) != null);
        ConsumerRecord<String, String> poison = deadLetters(Topics.AGENT_HEARTBEATS.name() + "-dlt", "i-beat0001")
                .get("i-beat0001");
        assertThat(poison.value()).isEqualTo("{not json");
        assertThat(header(poison, "kafka_dlt-original-topic")).isEqualTo(Topics.AGENT_HEARTBEATS.name());
        assertThat(poison.headers().lastHeader("kafka_dlt-original-offset")).isNotNull();
        assertThat(heartbeats.get(InstanceId.of("i-beat0001"))).isNull();
        assertThat(deadLetters(Topics.AGENT_HEARTBEATS.name())).isEqualTo(before + 1);
    }

    private double deadLetters(String topic) {
        return meters.get("stopplane.dead.letters").tag("service", "dispatcher").tag("topic", topic).counter().count();
    }

    private Map<String, ConsumerRecord<String, String>> deadLetters(String dlt, String... keys) {
        Map<String, Object> c = KafkaTestUtils.consumerProps(broker, "dlt-" + UUID.randomUUID(), false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(dlt));
            Map<String, ConsumerRecord<String, String>> seen = new ConcurrentHashMap<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.put(r.key(), r));
                return seen.keySet().containsAll(List.of(keys));
            });
            return seen;
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        org.apache.kafka.common.header.Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private InvocationState awaitState(InvokeId id, java.util.function.Predicate<InvocationState> condition) {
        // A bound for a hung fold, not a speed: the 201 events of the 100-target test took over 60 s once, at load 13
        // with another module's tests beside this one (-T 2) and other builds on the 2 cores.
        await().atMost(Duration.ofMinutes(3)).until(() -> {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                // a target record is laid on its invocation's state, as every reader does
                if (InvocationState.isTargetKey(r.key())) {
                    InvocationTarget target = StopPlaneJson.mapper().readValue(r.value(), InvocationTarget.class);
                    latest.computeIfPresent(InvocationState.invokeIdOf(r.key()), (k, s) -> s.with(target));
                    continue;
                }
                latest.put(r.key(), StopPlaneJson.mapper().readValue(r.value(), InvocationState.class));
                org.apache.kafka.common.header.Header type = r.headers().lastHeader("ce_type");
                ceTypes.put(r.key(), type == null ? "" : new String(type.value(), java.nio.charset.StandardCharsets.UTF_8));
            }
            InvocationState s = latest.get(id.value());
            return s != null && condition.test(s);
        });
        return latest.get(id.value());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private void send(InvocationEvent event) {
        producer.send(new ProducerRecord<>(Topics.INVOCATION_EVENTS.name(), event.invokeId().value(), event));
        producer.flush();
    }

    static final class InstanceStateAssert {
        static void assertAborted(io.stopplane.model.state.InstanceState i) {
            assertThat(i.status()).isEqualTo(InstanceStatus.ABORTED);
            assertThat(i.errorCode()).isEqualTo("ClientNotRunning");
            assertThat(i.finishTime()).isNotNull();
        }
    }

    private static InvocationCreated created(InvokeId id, InstanceId... instances) {
        CommandSpec spec = new CommandSpec(CommandId.random(), "n", null, CommandSpec.RUN_SHELL_SCRIPT, "sleep 300",
                60, null, null, null);
        return new InvocationCreated(UUID.randomUUID().toString(), id, Instant.now(), RegionId.of("cn-hangzhou"), spec,
                List.of(instances), new Caller(null, null, "127.0.0.1", "REQ"));
    }

    private static InstanceStatusReported report(InvokeId id, InstanceId instance, InstanceStatus status,
            Integer exitCode, String errorCode) {
        return new InstanceStatusReported(UUID.randomUUID().toString(), id, Instant.now(), instance, status, exitCode,
                errorCode, null, null, 0);
    }
}
