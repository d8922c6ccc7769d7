package io.stopplane.bench;

import io.stopplane.access.KafkaLogin;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.CloudEvents;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * {@code state-writes}: what one report costs the dispatcher in bytes. A 100-target invocation is run to the end by
 * events written straight onto {@code invocation-events} (created, then Running and Success for each target, as agents
 * report them), and the bytes (key and value) of every record the dispatcher wrote for it are counted on the broker:
 * on {@code invocation-state}, which every reader reads, and on its stores' changelogs. Each is divided by the final
 * state's bytes (issue #15's target: ≤ 3× on each). Needs the stack's broker and dispatcher only.
 */
final class StateWritesBench {

    static final int TARGETS = 100;
    private static final List<String> CHANGELOGS = List.of("stopplane-dispatcher-invocation-state-store-changelog",
            "stopplane-dispatcher-invocation-targets-store-changelog");

    record Result(int targets, long stateBytes, long changelogBytes, long finalStateBytes) {

        double stateAmplification() {
            return (double) stateBytes / finalStateBytes;
        }

        double changelogAmplification() {
            return (double) changelogBytes / finalStateBytes;
        }
    }

    private final BenchContext ctx;

    StateWritesBench(BenchContext ctx) {
        this.ctx = ctx;
    }

    Result run() throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        InvokeId invoke = InvokeId.of("t-sw" + run);
        List<InstanceId> targets = new ArrayList<>();
        for (int i = 0; i < TARGETS; i++) {
            targets.add(InstanceId.of(String.format("i-sw%s%03d", run, i)));
        }
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            int partitions = consumer.partitionsFor(Topics.INVOCATION_STATE.name(), Duration.ofSeconds(30)).size();
            // the dispatcher writes all of an invocation's records on the partition of its invokeId, as do its stores
            int partition = Utils.toPositive(Utils.murmur2(invoke.value().getBytes(StandardCharsets.UTF_8)))
                    % partitions;
            TopicPartition state = new TopicPartition(Topics.INVOCATION_STATE.name(), partition);
            List<TopicPartition> changelogs = CHANGELOGS.stream().map(t -> new TopicPartition(t, partition)).toList();
            List<TopicPartition> all = new ArrayList<>(changelogs);
            all.add(state);
            Map<TopicPartition, Long> from = consumer.endOffsets(all);

            CompletableFuture<Long> done = ctx.watcher.await(invoke.value(), s -> s.invocationStatus().isFinal());
            ctx.progress.phase("(state-writes) a 100-target invocation run to the end", () -> "");
            produce(invoke, targets);
            done.get(120, TimeUnit.SECONDS);
            InvocationState last = ctx.watcher.latest(invoke.value());
            long finalBytes = invoke.value().length() + StopPlaneJson.mapper().writeValueAsBytes(last).length;
            long changelogBytes = 0;
            for (TopicPartition tp : changelogs) {
                changelogBytes += bytes(consumer, tp, from.get(tp), invoke);
            }
            return new Result(TARGETS, bytes(consumer, state, from.get(state), invoke), changelogBytes, finalBytes);
        }
    }

    private void produce(InvokeId invoke, List<InstanceId> targets) throws Exception {
        Instant t0 = Instant.now();
        List<InvocationEvent> events = new ArrayList<>();
        events.add(new InvocationCreated(UUID.randomUUID().toString(), invoke, t0,
                RegionId.of(RpcClient.REGION), new CommandSpec(CommandId.of("c-sw" + invoke.value().substring(4)),
                        "state-writes", null, CommandSpec.RUN_SHELL_SCRIPT, "systemctl reload nginx", 600, null, null,
                        null),
                targets, new Caller(ctx.config.accountId(), ctx.config.accessKeyId(), "127.0.0.1",
                        "4F1B8C7E-0000-4000-8000-0123456789AB", "stopplane-bench")));
        for (int i = 0; i < targets.size(); i++) {
            events.add(new InstanceStatusReported(UUID.randomUUID().toString(), invoke, t0.plusMillis(100 + i),
                    targets.get(i), InstanceStatus.RUNNING, null, null, null, null, 0));
        }
        for (int i = 0; i < targets.size(); i++) {
            events.add(new InstanceStatusReported(UUID.randomUUID().toString(), invoke, t0.plusMillis(1000 + i),
                    targets.get(i), InstanceStatus.SUCCESS, 0, null, null, null, 0));
        }
        var writer = StopPlaneJson.mapper().writerFor(InvocationEvent.class);
        try (KafkaProducer<String, byte[]> producer = BenchKafka.producer(
                BenchKafka.durableProducer(ctx.config.bootstrap()))) {
            for (InvocationEvent e : events) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(Topics.INVOCATION_EVENTS.name(),
                        invoke.value(), writer.writeValueAsBytes(e));
                CloudEvents.of(e, "/stopplane/bench").forEach((k, v) -> r.headers().add(
                        new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
                producer.send(r);
            }
            producer.flush();
        }
    }

    /** The committed bytes of {@code invoke}'s records in {@code tp} from {@code from} to its end now. */
    private static long bytes(KafkaConsumer<String, byte[]> consumer, TopicPartition tp, long from, InvokeId invoke) {
        consumer.assign(List.of(tp));
        consumer.seek(tp, from);
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        long bytes = 0;
        while (consumer.position(tp) < end) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.key() != null && InvocationState.invokeIdOf(r.key()).equals(invoke.value())) {
                    bytes += r.key().getBytes(StandardCharsets.UTF_8).length
                            + (r.value() == null ? 0 : r.value().length);
                }
            }
        }
        return bytes;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.config.bootstrap());
        p.putAll(KafkaLogin.fromEnvironment());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "stopplane-bench-state-writes");
        return new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer());
    }
}
