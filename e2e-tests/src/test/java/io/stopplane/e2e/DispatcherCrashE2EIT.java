package io.stopplane.e2e;

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
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.state.InvocationTarget;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Dispatchers killed with SIGKILL in the middle of thousands of events: the state topic still ends equal to a straight
 * fold of the event log, and no state transition is written twice (per record key the committed versions rise, and per
 * invocation they are 1, 2, 3, … without a gap).
 */
@EmbeddedKafka(brokerProperties = {"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
class DispatcherCrashE2EIT {

    private static final int INVOCATIONS = 1000;

    /** Where the producer pauses until a kill: after the creations and first reports, and after the fourth round. */
    private static final int FIRST_PAUSE = 2 * INVOCATIONS;
    private static final int SECOND_PAUSE = 4 * INVOCATIONS;

    /** Opened once a kill is done, so that events keep arriving after each kill however slow the machine. */
    private final CountDownLatch firstKilled = new CountDownLatch(1);
    private final CountDownLatch secondKilled = new CountDownLatch(1);
    private final CountDownLatch atSecondPause = new CountDownLatch(1);

    @TempDir
    Path state;

    private StopPlaneProcesses stack;
    private String bootstrap;
    private String prefix;

    @AfterEach
    void stop() {
        firstKilled.countDown();
        secondKilled.countDown();
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * Two dispatchers share the work; one is killed mid-stream and the other takes its partitions over; then the
     * survivor is killed too, with an open transaction and events still to come, and a third one replaces it. The
     * state topic ends equal to the straight fold, each record key's committed versions rise and every invocation's are
     * 1, 2, 3, … (one event may write a record for each of several targets, all of one version).
     */
    @Test
    void dispatchersKilledMidStreamOneAfterTheOtherLoseAndDuplicateNothing() throws Exception {
        createTopics();
        stack = new StopPlaneProcesses().startDispatcher("dispatcher-a", bootstrap, state)
                .startDispatcher("dispatcher-b", bootstrap, state);
        stack.awaitHealthy();
        CompletableFuture<Integer> produced = CompletableFuture.supplyAsync(this::produceEvents);
        Map<String, List<Long>> versions = new HashMap<>();
        Map<String, InvocationState> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> states = stateConsumer()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> read(states, versions, latest) >= INVOCATIONS / 4);
            assertThat(produced).as("killed while events were still arriving").isNotDone();
            stack.kill("dispatcher-a");
            firstKilled.countDown();

            assertThat(atSecondPause.await(3, TimeUnit.MINUTES)).as("the producer reached its second pause").isTrue();
            // the survivor has taken the dead one's partitions over: every invocation has a state
            await().atMost(Duration.ofSeconds(90)).until(() -> read(states, versions, latest) == INVOCATIONS);
            stack.kill("dispatcher-b");
            stack.startDispatcher("dispatcher-c", bootstrap, state);
            secondKilled.countDown();
            int events = produced.get(60, TimeUnit.SECONDS);
            assertConverges(states, versions, latest, events);
        }
    }

    private void assertConverges(KafkaConsumer<String, byte[]> states, Map<String, List<Long>> versions,
            Map<String, InvocationState> latest, int events) {
        Map<String, InvocationState> expected = straightFold(events);
        assertThat(expected).hasSize(INVOCATIONS);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            read(states, versions, latest);
            return expected.entrySet().stream().allMatch(e -> e.getValue().equals(latest.get(e.getKey())));
        });
        Map<String, java.util.SortedSet<Long>> byInvocation = new HashMap<>();
        versions.forEach((key, seen) -> {
            assertThat(seen).as("committed versions of %s", key).isSortedAccordingTo(Long::compare)
                    .doesNotHaveDuplicates();
            byInvocation.computeIfAbsent(InvocationState.invokeIdOf(key), k -> new java.util.TreeSet<>()).addAll(seen);
        });
        byInvocation.forEach((id, seen) -> assertThat(seen).as("committed versions of %s", id)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, seen.size()).boxed().toList()));
    }

    private void createTopics() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        bootstrap = broker.getBrokersAsString();
        prefix = "t-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String t : List.of(Topics.INVOCATION_EVENTS.name(), Topics.INVOCATION_STATE.name(),
                    Topics.AGENT_HEARTBEATS.name())) {
                if (!admin.listTopics().names().get().contains(t)) {
                    topics.add(new NewTopic(t, 3, (short) 1));
                }
            }
            admin.createTopics(topics).all().get();
        }
    }

    /**
     * Thousands of events over many invocations, each invocation's events in order (runs, stops, kills, finishes),
     * paced over a few seconds; the producer pauses at {@link #FIRST_PAUSE} and {@link #SECOND_PAUSE} events until a
     * dispatcher is killed, so that each kill falls in the middle of them on a machine of any speed.
     */
    private int produceEvents() {
        Random random = new Random(42);
        List<List<InvocationEvent>> perInvocation = new ArrayList<>();
        Instant t0 = Instant.now();
        for (int n = 0; n < INVOCATIONS; n++) {
            InvokeId id = InvokeId.of(prefix + n);
            InstanceId a = InstanceId.of("i-crash" + (n % 7));
            InstanceId b = InstanceId.of("i-crash" + (n % 7 + 7));
            Instant at = t0.plusMillis(n);
            List<InvocationEvent> list = new ArrayList<>();
            CommandSpec spec = new CommandSpec(CommandId.random(), "load", null, CommandSpec.RUN_SHELL_SCRIPT,
                    "sleep 1", 3600, null, null, null);
            list.add(new InvocationCreated(uuid(), id, at, RegionId.of("cn-hangzhou"), spec, List.of(a, b),
                    new Caller(null, null, "127.0.0.1", uuid())));
            list.add(report(id, a, InstanceStatus.RUNNING, null, at.plusMillis(1)));
            list.add(report(id, b, InstanceStatus.RUNNING, null, at.plusMillis(2)));
            switch (random.nextInt(3)) {
                case 0 -> {
                    list.add(new StopRequested(uuid(), id, at.plusMillis(3), List.of(), null));
                    list.add(report(id, a, InstanceStatus.TERMINATED, 143, at.plusMillis(4)));
                    list.add(report(id, b, InstanceStatus.SUCCESS, 0, at.plusMillis(5)));
                }
                case 1 -> {
                    list.add(report(id, a, InstanceStatus.SUCCESS, 0, at.plusMillis(3)));
                    list.add(report(id, b, InstanceStatus.FAILED, 2, at.plusMillis(4)));
                    list.add(report(id, b, InstanceStatus.FAILED, 2, at.plusMillis(4))); // redelivered duplicate
                }
                default -> list.add(new StopRequested(uuid(), id, at.plusMillis(3), List.of(b), null));
            }
            perInvocation.add(list);
        }
        JacksonJsonSerializer<InvocationEvent> values = new JacksonJsonSerializer<>(StopPlaneJson.mapper());
        values.setAddTypeInfo(false);
        int count = 0;
        Semaphore pace = new Semaphore(0);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(pace::release, 0, 100, TimeUnit.MILLISECONDS);
        try (KafkaProducer<String, InvocationEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), values)) {
            // interleave invocations, keeping each one's order
            int round = 0;
            boolean any = true;
            while (any) {
                any = false;
                for (List<InvocationEvent> list : perInvocation) {
                    if (round < list.size()) {
                        InvocationEvent e = list.get(round);
                        producer.send(new ProducerRecord<>(Topics.INVOCATION_EVENTS.name(), e.invokeId().value(), e));
                        count++;
                        any = true;
                        if (count == FIRST_PAUSE) {
                            producer.flush();
                            awaitKill(firstKilled);
                        } else if (count == SECOND_PAUSE) {
                            producer.flush();
                            atSecondPause.countDown();
                            awaitKill(secondKilled);
                        }
                        if (count % 100 == 0) {
                            producer.flush();
                            pace.acquireUninterruptibly(); // released by a timer: about 1,000 events a second
                        }
                    }
                }
                round++;
            }
            producer.flush();
        } finally {
            ticker.shutdownNow();
        }
        return count;
    }

    private static void awaitKill(CountDownLatch killed) {
        try {
            if (!killed.await(3, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the dispatcher was never killed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The reference: read this test's events back from the log and fold them in memory. */
    private Map<String, InvocationState> straightFold(int events) {
        Map<String, InvocationState> folded = new HashMap<>();
        try (KafkaConsumer<String, InvocationEvent> consumer = new KafkaConsumer<>(consumerConfig(),
                new StringDeserializer(), new JacksonJsonDeserializer<>(InvocationEvent.class, StopPlaneJson.mapper(),
                        false))) {
            consumer.subscribe(List.of(Topics.INVOCATION_EVENTS.name()));
            int[] seen = {0};
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, InvocationEvent> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key().startsWith(prefix)) {
                        folded.compute(r.key(), (k, s) -> InvocationFold.apply(s, r.value()).withoutOutputs());
                        seen[0]++;
                    }
                }
                return seen[0] >= events;
            });
        }
        return folded;
    }

    private int read(KafkaConsumer<String, byte[]> consumer, Map<String, List<Long>> versions,
            Map<String, InvocationState> latest) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.key().startsWith(prefix)) {
                if (InvocationState.isTargetKey(r.key())) {
                    InvocationTarget target = StopPlaneJson.mapper().readValue(r.value(), InvocationTarget.class);
                    versions.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(target.version());
                    latest.computeIfPresent(InvocationState.invokeIdOf(r.key()), (k, state) -> state.with(target));
                } else {
                    InvocationState state = StopPlaneJson.mapper().readValue(r.value(), InvocationState.class);
                    versions.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(state.version());
                    latest.put(r.key(), state);
                }
            }
        }
        return latest.size();
    }

    private KafkaConsumer<String, byte[]> stateConsumer() {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(),
                new ByteArrayDeserializer());
        c.subscribe(List.of(Topics.INVOCATION_STATE.name()));
        return c;
    }

    private Map<String, Object> consumerConfig() {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "crash-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    }

    private static InstanceStatusReported report(InvokeId id, InstanceId instance, InstanceStatus status,
            Integer exitCode, Instant at) {
        return new InstanceStatusReported(uuid(), id, at, instance, status, exitCode, null, null, null, 0);
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }
}
