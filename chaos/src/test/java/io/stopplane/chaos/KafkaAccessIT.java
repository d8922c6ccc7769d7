package io.stopplane.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stopplane.access.KafkaAccess;
import io.stopplane.access.KafkaAccessSetup;
import io.stopplane.access.KafkaLogin;
import io.stopplane.model.topic.Topics;
import io.stopplane.stack.KraftNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The brokers' authentication and the ACL table ({@link KafkaAccess}) on a real standalone broker, configured,
 * formatted and set up as {@code bin/stopplane} does its own ({@link KraftNode}, {@link KafkaAccessSetup}): a client
 * without credentials, or with wrong ones, is refused; each service's principal can do what the service does, and is
 * denied the rest; no principal can delete a topic, change its configs or add partitions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAccessIT {

    private static final Path ROOT = Path.of(System.getProperty("stopplane.root", "..")).toAbsolutePath().normalize();
    private static final String EVENTS = Topics.INVOCATION_EVENTS.name();
    private static final String STATE = Topics.INVOCATION_STATE.name();
    private static final String COMMANDS = Topics.INSTANCE_COMMANDS.name();

    private Path dir;
    private Process broker;
    private Map<String, String> passwords;
    private String bootstrap;

    @BeforeAll
    void startBrokerWithAuthentication() throws Exception {
        dir = Files.createTempDirectory("kafka-access-it-");
        passwords = KafkaAccessSetup.credentials(dir.resolve("kafka-credentials"));
        int port = freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, KraftNode.config(ROOT, port, freePort(), dir.resolve("data"), passwords));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the broker's classes are on this test's classpath (spring-kafka-test brings them)
        String classpath = System.getProperty("java.class.path");
        Process format = new ProcessBuilder(KraftNode.formatCommand(java, classpath, config,
                KraftNode.newClusterId(), passwords)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("format.log").toFile()).start();
        assertThat(format.waitFor(120, TimeUnit.SECONDS) && format.exitValue() == 0)
                .as("kafka-storage format; %s", Files.readString(dir.resolve("format.log"))).isTrue();
        broker = new ProcessBuilder(KraftNode.startCommand(java, List.of("-Xms128m", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), classpath, config))
                .redirectErrorStream(true).redirectOutput(dir.resolve("kafka.log").toFile()).start();
        bootstrap = "127.0.0.1:" + port;
        try (Admin admin = admin(KafkaAccess.ADMIN)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                    .failFast("the broker exited; see " + dir.resolve("kafka.log"), () -> !broker.isAlive())
                    .until(() -> admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == 1);
            KafkaAccessSetup.apply(admin, passwords);
        }
        // each topic created by a service that declares it, as the services do when they start
        createAs("api-service", COMMANDS, EVENTS);
        createAs("dispatcher", STATE);
        try (KafkaProducer<String, String> api = producer("api-service", null)) {
            api.send(new ProducerRecord<>(COMMANDS, "i-1", "run")).get();
            api.send(new ProducerRecord<>(EVENTS, "t-1", "created")).get();
        }
    }

    @AfterAll
    void stopBroker() throws Exception {
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                broker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (dir != null) {
            LauncherStack.deleteTree(dir);
        }
    }

    @Test
    void aClientWithoutCredentialsOrWithWrongOnesIsRefused() {
        Map<String, Object> plain = new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2_000));
        try (Admin anonymous = Admin.create(plain)) {
            // the listener speaks only SASL: a plaintext client is never answered
            assertThatThrownBy(() -> anonymous.listTopics().names().get()).hasCauseInstanceOf(TimeoutException.class);
        }
        try (Admin wrong = Admin.create(login("api-service", "not-its-password"))) {
            assertThatThrownBy(() -> wrong.listTopics().names().get())
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        try (Admin stranger = Admin.create(login("mallory", passwords.get("api-service")))) {
            assertThatThrownBy(() -> stranger.listTopics().names().get())
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void theApiServiceWritesCommandsAndEventsInItsOwnTransactionsOnly() throws Exception {
        try (KafkaProducer<String, String> api = producer("api-service", "stopplane-api-" + UUID.randomUUID() + "-0")) {
            api.initTransactions();
            api.beginTransaction();
            api.send(new ProducerRecord<>(COMMANDS, "i-1", "run")).get();
            api.send(new ProducerRecord<>(EVENTS, "t-1", "created")).get();
            api.commitTransaction();
        }
        try (KafkaProducer<String, String> posing = producer("api-service", KafkaAccess.DISPATCHER_APPLICATION_ID + "-x")) {
            assertThatThrownBy(posing::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
        try (KafkaProducer<String, String> api = producer("api-service", null)) {
            assertThatThrownBy(() -> api.send(new ProducerRecord<>(STATE, "t-1", "forged")).get())
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theGatewayReportsAndReadsCommandsButCannotWriteTheState() throws Exception {
        try (KafkaProducer<String, String> gateway = producer("agent-gateway", null)) {
            gateway.send(new ProducerRecord<>(EVENTS, "t-2", "report")).get();
        }
        try (KafkaProducer<String, String> gateway = producer("agent-gateway", null)) {
            assertThatThrownBy(() -> gateway.send(new ProducerRecord<>(STATE, "t-2", "{\"version\":99999999}")).get())
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaProducer<String, String> gateway = producer("agent-gateway", null)) {
            assertThatThrownBy(() -> gateway.send(new ProducerRecord<>(COMMANDS, "i-victim", "run")).get())
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(readAll("agent-gateway", COMMANDS)).isPositive();
    }

    @Test
    void theDispatcherFoldsInItsGroupWritesTheStateAndItsStoresChangelogs() throws Exception {
        try (KafkaConsumer<String, String> fold = consumer("dispatcher", KafkaAccess.DISPATCHER_APPLICATION_ID)) {
            fold.subscribe(List.of(EVENTS));
            await().atMost(Duration.ofSeconds(30)).until(() -> !fold.poll(Duration.ofMillis(200)).isEmpty());
            fold.commitSync();
        }
        try (KafkaConsumer<String, String> other = consumer("dispatcher", "stopplane-api")) {
            other.subscribe(List.of(EVENTS));
            assertThatThrownBy(() -> other.poll(Duration.ofSeconds(10))).isInstanceOf(GroupAuthorizationException.class);
        }
        try (KafkaProducer<String, String> dispatcher = producer("dispatcher",
                KafkaAccess.DISPATCHER_APPLICATION_ID + "-" + UUID.randomUUID() + "-0")) {
            dispatcher.initTransactions();
            dispatcher.beginTransaction();
            dispatcher.send(new ProducerRecord<>(STATE, "t-1", "{\"version\":1}")).get();
            dispatcher.commitTransaction();
        }
        createAs("dispatcher", KafkaAccess.DISPATCHER_APPLICATION_ID + "-invocation-store-changelog");
        try (Admin dispatcher = admin("dispatcher")) {
            assertThatThrownBy(() -> dispatcher.createTopics(List.of(new NewTopic("anything-else", 1, (short) 1))).all()
                    .get()).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theAuditReadsAndNeverWrites() throws Exception {
        assertThat(readAll("audit", EVENTS)).isPositive();
        try (KafkaProducer<String, String> audit = producer("audit", null)) {
            // refused before the topic is even looked at: a principal that may write nothing gets no producer id
            assertThatThrownBy(() -> audit.send(new ProducerRecord<>(EVENTS, "t-1", "forged")).get())
                    .hasCauseInstanceOf(AuthorizationException.class);
        }
    }

    @Test
    void noPrincipalDeletesATopicChangesItsConfigsOrAddsPartitions() throws Exception {
        ConfigResource events = new ConfigResource(ConfigResource.Type.TOPIC, EVENTS);
        for (KafkaAccess.Principal p : KafkaAccess.SERVICES) {
            try (Admin admin = admin(p.name())) {
                assertThatThrownBy(() -> admin.deleteTopics(List.of(EVENTS, STATE)).all().get()).as(p.name())
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
                assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(events, List.of(new AlterConfigOp(
                        new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET)))).all().get()).as(p.name())
                        .hasCauseInstanceOf(AuthorizationException.class);
                assertThatThrownBy(() -> admin.createPartitions(Map.of(EVENTS, NewPartitions.increaseTo(4))).all().get())
                        .as(p.name()).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
        try (Admin admin = admin(KafkaAccess.ADMIN)) {
            assertThat(admin.describeTopics(List.of(EVENTS, STATE)).allTopicNames().get().values())
                    .allSatisfy(t -> assertThat(t.partitions()).hasSize(1));
            assertThat(admin.describeConfigs(List.of(events)).all().get().get(events).get("retention.ms").value())
                    .isEqualTo("-1");
        }
    }

    // -----------------------------------------------------------------------------------------------------------------

    private void createAs(String principal, String... topics) throws Exception {
        List<NewTopic> wanted = new ArrayList<>();
        for (String t : topics) {
            wanted.add(new NewTopic(t, 1, (short) 1).configs(Topics.ALL.stream().filter(s -> s.name().equals(t))
                    .findFirst().map(s -> s.configs()).orElse(Map.of())));
        }
        try (Admin admin = admin(principal)) {
            // the ACLs just applied reach the broker's authorizer a moment after the controller took them
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                Set<String> existing = admin.listTopics().names().get();
                List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
                if (!missing.isEmpty()) {
                    try {
                        admin.createTopics(missing).all().get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (!(e.getCause() instanceof TopicAuthorizationException)) {
                            throw e;
                        }
                        return false;
                    }
                }
                return true;
            });
        }
    }

    /** Reads a topic from its beginning without a group, as the services' views do; returns how many records. */
    private int readAll(String principal, String topic) {
        try (KafkaConsumer<String, String> c = consumer(principal, null)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            int n = 0;
            while (c.position(tp) < end) {
                ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(500));
                n += records.count();
            }
            return n;
        }
    }

    private Map<String, Object> login(String user, String password) {
        Map<String, Object> config = new HashMap<>(KafkaLogin.scram(user, password));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    private Admin admin(String principal) {
        return Admin.create(login(principal, passwords.get(principal)));
    }

    private KafkaProducer<String, String> producer(String principal, String transactionalId) {
        Map<String, Object> config = login(principal, passwords.get(principal));
        config.remove(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer(String principal, String group) {
        Map<String, Object> config = login(principal, passwords.get(principal));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
