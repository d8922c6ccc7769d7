package io.stopplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.agent.testing.Commands;
import io.stopplane.agent.testing.Processes;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.command.StopCommand;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.status.InstanceStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/** The agent on a real broker, talking to it the way api-service and the dispatcher do. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "stopplane.agent.instance-ids=i-test0001,i-test0002",
    "stopplane.agent.stop-grace=3s",
    "stopplane.agent.heartbeat-interval=1s",
})
// One partition for the broker's internal topics: creating fifty each is most of the start-up time on a small machine.
@EmbeddedKafka(brokerProperties = {"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
    "transaction.state.log.num.partitions=1", "offsets.topic.num.partitions=1"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PARTITIONS = 6;
    private static final Path STATE_DIR = createStateDir();

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    private KafkaTestClients kafka;
    private final String marker = Processes.uniqueSleepSeconds();

    @DynamicPropertySource
    static void stateDir(DynamicPropertyRegistry registry) {
        registry.add("stopplane.agent.state-dir", STATE_DIR::toString);
    }

    /** The agent is already up and waiting: api-service creating its topic late is the normal case. */
    @BeforeAll
    void createTopicsAndAwaitReadiness() throws Exception {
        assertThat(health().statusCode()).as("not ready before instance-commands exists").isEqualTo(503);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()))) {
            admin.createTopics(List.of(new NewTopic("instance-commands", PARTITIONS, (short) 1),
                    new NewTopic("invocation-events", PARTITIONS, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        await().atMost(WAIT).until(() -> health().statusCode() == 200);
        assertThat(health().body()).contains("\"commands\"", "\"UP\"");
        kafka = new KafkaTestClients(broker.getBrokersAsString());
    }

    @AfterEach
    void killLeftovers() {
        Processes.killAll(marker);
    }

    @AfterAll
    void cleanUp() {
        if (kafka != null) {
            kafka.close();
        }
        Processes.killAll(marker);
    }

    @AfterAll
    static void deleteStateDir() {
        FileSystemUtils.deleteRecursively(STATE_DIR.toFile());
    }

    @Test
    void prometheusShowsTheRunningProcessesAndTheIntakesLagAndTheProbesAnswer() throws Exception {
        double before = processesRunning();
        RunCommand run = Commands.run("i-test0001", "sleep " + marker);
        kafka.send(run);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 1);
        await().atMost(WAIT).until(() -> processesRunning() == before + 1);
        String scrape = get("/actuator/prometheus").body();
        assertThat(scrape).contains("# HELP stopplane_agent_processes_running command processes this agent is running")
                // the hand-built intake consumer, bound to the registry: its lag on the partitions it reads
                .containsPattern("kafka_consumer_fetch_manager_records_lag_max\\{client_id=\"stopplane-agent-[^\"]+"
                        + "-commands\"")
                .contains("kafka_producer_record_send_total{");
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"commands\"", "\"readinessState\"");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);

        kafka.send(Commands.stop(run));
        await().atMost(WAIT).until(() -> statuses(run.invokeId()).contains(InstanceStatus.TERMINATED));
        await().atMost(WAIT).until(() -> processesRunning() == before);
    }

    private double processesRunning() throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?m)^stopplane_agent_processes_running (\\S+)$")
                .matcher(get("/actuator/prometheus").body());
        assertThat(m.find()).as("stopplane_agent_processes_running on /actuator/prometheus").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runsOnTwoInstancesThenAStopKillsBoth() {
        InvokeId invokeId = InvokeId.random();
        RunCommand first = Commands.run(invokeId, "i-test0001", "sleep " + marker);
        RunCommand second = Commands.run(invokeId, "i-test0002", "sleep " + marker);
        kafka.send(first, second);

        await().atMost(WAIT).until(() -> statuses(invokeId).size() == 2);
        assertThat(statuses(invokeId)).containsOnly(InstanceStatus.RUNNING);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 2);
        List<ProcessHandle> sleeps = Processes.sleeping(marker);

        kafka.send(Commands.stop(first), Commands.stop(second));

        await().atMost(WAIT).until(() -> statuses(invokeId).size() == 4);
        List<InstanceStatusReported> terminated = kafka.reportsOf(invokeId).stream()
                .filter(r -> r.status() == InstanceStatus.TERMINATED)
                .toList();
        assertThat(terminated).extracting(r -> r.instanceId().value())
                .containsExactlyInAnyOrder("i-test0001", "i-test0002");
        assertThat(terminated).allSatisfy(r -> {
            assertThat(r.exitCode()).isEqualTo(143);
            assertThat(r.errorCode()).isEqualTo("ExecutionInterrupted");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> sleeps.stream().noneMatch(Processes::isRunning));
    }

    @Test
    void aStopLeavesNothingOfTheTreeAliveNotEvenWhatLeftTheGroup() {
        String sleep = "sleep " + marker;
        // a background grandchild, an orphan, one in a session of its own, a foreground one
        RunCommand run = Commands.run("i-test0001", sleep + " & (" + sleep + " &); setsid " + sleep + " & " + sleep
                + "; wait");
        kafka.send(run);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 4);
        List<ProcessHandle> sleeps = Processes.sleeping(marker);

        kafka.send(Commands.stop(run));

        await().atMost(WAIT).until(() -> statuses(run.invokeId()).contains(InstanceStatus.TERMINATED));
        assertThat(kafka.reportsOf(run.invokeId()).get(1).exitCode()).isEqualTo(143);
        await().atMost(Duration.ofSeconds(30)).until(() -> sleeps.stream().noneMatch(Processes::isRunning));
    }

    @Test
    void aTermTrapGetsItsGraceAndWhatIgnoresTermIsKilledOnceItIsOver() {
        Path cleaned = STATE_DIR.resolve("cleaned-" + marker);
        RunCommand trapping = Commands.run("i-test0001",
                "trap 'echo cleaned > " + cleaned + "; exit 0' TERM; sleep " + marker + " & wait");
        RunCommand ignoring = Commands.run("i-test0002", "trap '' TERM; sleep " + marker);
        kafka.send(trapping, ignoring);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 2);
        StopCommand stop = Commands.stop(ignoring);
        long start = System.nanoTime();

        // the second stop overrides the agent's grace period
        kafka.send(Commands.stop(trapping), new StopCommand(stop.commandEventId(), stop.invokeId(), stop.instanceId(),
                stop.issuedAt(), stop.requestId(), 1));

        await().atMost(WAIT).until(() -> statuses(ignoring.invokeId()).contains(InstanceStatus.TERMINATED));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(kafka.reportsOf(ignoring.invokeId()).get(1).exitCode()).as("SIGKILL").isEqualTo(137);
        await().atMost(WAIT).until(() -> statuses(trapping.invokeId()).contains(InstanceStatus.TERMINATED));
        assertThat(cleaned).hasContent("cleaned");
        await().atMost(Duration.ofSeconds(30)).until(() -> Processes.running(marker).isEmpty());
    }

    @Test
    void aTimeoutKillsTheWholeTree() {
        RunCommand run = Commands.run(InvokeId.random(), "i-test0002", Commands.spec(CommandSpec.RUN_SHELL_SCRIPT,
                "sleep " + marker + " & (sleep " + marker + " &); sleep " + marker, 1, null, null));
        kafka.send(run);

        await().atMost(WAIT).until(() -> statuses(run.invokeId()).contains(InstanceStatus.TIMEOUT));
        InstanceStatusReported outcome = kafka.reportsOf(run.invokeId()).get(1);
        assertThat(outcome.exitCode()).isEqualTo(143);
        assertThat(outcome.errorCode()).isEqualTo("ExecutionTimeout");
        await().atMost(Duration.ofSeconds(30)).until(() -> Processes.running(marker).isEmpty());
    }

    @Test
    void outputBeyond24KilobytesKeepsTheFirst24AndCountsTheRestAsDropped() {
        RunCommand run = Commands.run("i-test0001", "head -c 30000 /dev/zero | tr '\\0' a");
        kafka.send(run);

        await().atMost(WAIT).until(() -> statuses(run.invokeId()).contains(InstanceStatus.SUCCESS));
        InstanceStatusReported outcome = kafka.reportsOf(run.invokeId()).get(1);
        assertThat(outcome.output()).hasSize(24 * 1024).isEqualTo("a".repeat(24 * 1024));
        assertThat(outcome.dropped()).isEqualTo(30_000 - 24 * 1024);
    }

    @Test
    void aNonZeroExitIsReportedFailed() {
        RunCommand run = Commands.run("i-test0001", "exit 3");
        kafka.send(run);

        await().atMost(WAIT).until(() -> statuses(run.invokeId()).size() == 2);
        InstanceStatusReported outcome = kafka.reportsOf(run.invokeId()).get(1);
        assertThat(statuses(run.invokeId())).containsExactly(InstanceStatus.RUNNING, InstanceStatus.FAILED);
        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.errorCode()).isEqualTo("ExitCodeNonzero");
    }

    @Test
    void commandsOfInstancesHostedElsewhereAreIgnored() {
        String sideEffect = STATE_DIR.resolve("not-mine").toString();
        RunCommand notMine = Commands.run(neighbourOf("i-test0001"), "touch " + sideEffect);
        RunCommand mine = Commands.run("i-test0001", "exit 0");
        kafka.send(notMine);
        kafka.send(mine);

        // Commands of one partition are handled in order: once the later one is done, the earlier one was seen.
        await().atMost(WAIT).until(() -> statuses(mine.invokeId()).contains(InstanceStatus.SUCCESS));
        assertThat(kafka.reportsOf(notMine.invokeId())).isEmpty();
        assertThat(Path.of(sideEffect)).doesNotExist();
    }

    @Test
    void aRunStoppedInTheSameBatchIsCancelledAndNeverRuns() {
        Path sideEffect = STATE_DIR.resolve("cancelled-ran");
        RunCommand run = Commands.run("i-test0002", "touch " + sideEffect + "; sleep " + marker);
        kafka.send(run, Commands.stop(run));
        RunCommand after = Commands.run("i-test0002", "exit 0");
        kafka.send(after);

        await().atMost(WAIT).until(() -> statuses(after.invokeId()).contains(InstanceStatus.SUCCESS));
        assertThat(statuses(run.invokeId())).containsExactly(InstanceStatus.CANCELLED);
        assertThat(sideEffect).doesNotExist();
    }

    @Test
    void aPoisonCommandGoesToTheDeadLetterTopicAndTheCommandAfterItRuns() throws Exception {
        double before = deadLetters();
        RecordMetadata poison;
        try (KafkaProducer<String, String> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), new StringSerializer(),
                new StringSerializer())) {
            poison = raw.send(new ProducerRecord<>("instance-commands", "i-test0001", "{not json")).get();
        }
        RunCommand after = Commands.run("i-test0001", "exit 0");
        kafka.send(after);

        await().atMost(WAIT).until(() -> statuses(after.invokeId()).contains(InstanceStatus.SUCCESS));
        Map<String, ConsumerRecord<String, String>> seen = new java.util.concurrent.ConcurrentHashMap<>();
        try (KafkaConsumer<String, String> dlt = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "agent-it-dlt",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            dlt.subscribe(List.of("instance-commands-dlt"));
            await().atMost(WAIT).until(() -> {
                dlt.poll(Duration.ofMillis(200)).forEach(r -> seen.put(r.key() + "@" + offset(r), r));
                return seen.containsKey("i-test0001@" + poison.offset());
            });
        }
        ConsumerRecord<String, String> dead = seen.get("i-test0001@" + poison.offset());
        assertThat(dead.value()).isEqualTo("{not json");
        assertThat(text(dead, "kafka_dlt-original-topic")).isEqualTo("instance-commands");
        assertThat(ByteBuffer.wrap(dead.headers().lastHeader("kafka_dlt-original-partition").value()).getInt())
                .isEqualTo(poison.partition());
        assertThat(text(dead, "kafka_dlt-exception-fqcn")).isNotBlank();
        String group = text(dead, "kafka_dlt-original-consumer-group");
        assertThat(group).startsWith("stopplane-agent-");
        assertThat(deadLetters()).isEqualTo(before + 1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()))) {
            TopicPartition tp = new TopicPartition("instance-commands", poison.partition());
            await().atMost(WAIT).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get().get(tp);
                return committed != null && committed.offset() > poison.offset();
            });
        }
    }

    private static long offset(ConsumerRecord<?, ?> r) {
        Header h = r.headers().lastHeader("kafka_dlt-original-offset");
        return h == null ? -1 : ByteBuffer.wrap(h.value()).getLong();
    }

    private static String text(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private double deadLetters() {
        return meters.get("stopplane.dead.letters").tag("service", "agent-consumer").tag("topic", "instance-commands")
                .counter().count();
    }

    @Test
    void declaresTheCompactedHeartbeatTopicAndBeatsForEveryInstance() throws Exception {
        Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
        try (KafkaConsumer<String, String> heartbeats = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "agent-it-heartbeats",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            heartbeats.subscribe(List.of("agent-heartbeats"));
            await().atMost(WAIT).until(() -> {
                heartbeats.poll(Duration.ofMillis(200)).forEach(r -> seen.put(r.key(), r.value()));
                return seen.keySet().containsAll(List.of("i-test0001", "i-test0002"));
            });
        }
        JsonNode beat = StopPlaneJson.mapper().readTree(seen.get("i-test0002"));
        assertThat(beat.get("instanceId").asString()).isEqualTo("i-test0002");
        assertThat(beat.get("regionId").asString()).isEqualTo("cn-hangzhou");
        assertThat(beat.has("agentVersion")).isTrue();
        assertThat(beat.has("hostname")).isTrue();
        assertThat(Instant.parse(beat.get("at").asString())).isBefore(Instant.now().plusSeconds(1));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "agent-heartbeats");
            Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    private List<InstanceStatus> statuses(InvokeId invokeId) {
        return kafka.reportsOf(invokeId).stream().map(InstanceStatusReported::status).toList();
    }

    /** An instance id the agent does not host whose commands land on the same partition as {@code hosted}'s. */
    private static String neighbourOf(String hosted) {
        int partition = partition(hosted);
        return IntStream.range(0, 10_000)
                .mapToObj(i -> "i-elsewhere" + i)
                .filter(id -> partition(id) == partition)
                .findFirst()
                .orElseThrow();
    }

    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private HttpResponse<String> health() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Path createStateDir() {
        try {
            return Files.createTempDirectory("agent-it-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
