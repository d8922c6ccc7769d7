package io.stopplane.bench;

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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * (5) Recovery with N invocations in the log. N invocations on a fleet of 5,000 instances, each created, Running and
 * Success (three events, as an agent reports them), are written straight to {@code invocation-events} by a fast
 * producer, plus a few probe invocations left Running; the dispatcher folds them all. Then:
 * <ul>
 * <li>the dispatcher is killed (SIGKILL: under exactly-once its local store is then wiped and restored from its
 *     changelog), the probes' completions are written, and the dispatcher is started again: the time from its start
 *     until it has folded the completions onto the restored states (each probe's committed state is version 3,
 *     Success, with its original command);</li>
 * <li>the api-service is killed and started again: the time until DescribeInvocations answers the probes and a random
 *     sample of the N with their right status; then its heap after a full GC.</li>
 * </ul>
 */
final class RecoveryBench {

    static final int PROBES = 10;
    static final int FLEET = 5_000;
    static final String DISPATCHER_GROUP = "stopplane-dispatcher";

    record Result(int invocations, long events, double produceSeconds, double foldSeconds, double foldEventsPerSecond,
            double dispatcherSeconds, double dispatcherHealthySeconds, double apiSeconds, double apiHealthySeconds,
            Double heapMb, String heapDetail, Map<String, Long> topicBytes, String note) {
    }

    private final BenchContext ctx;
    private final StackParts parts;
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    RecoveryBench(BenchContext ctx) {
        this.ctx = ctx;
        this.parts = new StackParts(ctx.config);
    }

    Result run() throws Exception {
        BenchConfig c = ctx.config;
        int n = c.recoveryInvocations();
        ctx.watcher.remember(false);
        try {
            return measure(n);
        } finally {
            ctx.watcher.remember(true);
        }
    }

    private Result measure(int n) throws Exception {
        BenchConfig c = ctx.config;
        StringBuilder note = new StringBuilder();
        // 1. write the log
        AtomicLong acked = new AtomicLong();
        long events = 3L * n + 2L * PROBES;
        ctx.progress.phase(String.format("(5) writing %d invocations (%d events) to invocation-events", n, events),
                () -> String.format("%d of %d events acknowledged", acked.get(), events));
        long t0 = System.nanoTime();
        List<String> probes = new ArrayList<>();
        List<String> probeCommands = new ArrayList<>();
        List<String> sample = new ArrayList<>();
        Properties p = BenchKafka.durableProducer(c.bootstrap());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        Templates templates = new Templates(c);
        try (KafkaProducer<String, byte[]> producer = BenchKafka.producer(p)) {
            for (int i = 0; i < n + PROBES; i++) {
                boolean probe = i >= n;
                String invoke = String.format("t-rec%s%08d", run, i);
                // a fleet of FLEET instances, each with many invocations over time
                String instance = probe ? String.format("i-recprobe%s%02d", run, i - n)
                        : String.format("i-rec%s%05d", run, i % FLEET);
                String command = String.format("c-rec%s%08d", run, i);
                if (probe) {
                    ctx.watcher.keep(invoke); // its completion's target record is laid on the state kept
                }
                for (int e = 0; e < (probe ? 2 : 3); e++) {
                    producer.send(new ProducerRecord<>(Topics.INVOCATION_EVENTS.name(), null, invoke,
                            templates.event(e, invoke, instance, command, i), templates.headers(e, invoke, i)),
                            (m, error) -> {
                                if (error == null) {
                                    acked.incrementAndGet();
                                }
                            });
                }
                if (probe) {
                    probes.add(invoke);
                    probeCommands.add(command);
                } else if (sample.size() < 10 && ThreadLocalRandom.current().nextInt(Math.max(1, n / 20)) == 0) {
                    sample.add(invoke);
                }
            }
            producer.flush();
        }
        double produceSeconds = (System.nanoTime() - t0) / 1e9;
        ctx.progress.say(String.format("(5) %d events written in %.1f s (%.0f/s)", acked.get(), produceSeconds,
                acked.get() / produceSeconds));
        // 2. the dispatcher folds them
        long t1 = System.nanoTime();
        AtomicLong lag = new AtomicLong(-1);
        ctx.progress.phase("(5) the dispatcher folds them", () -> String.format("%d events still to fold (%.0f/s)",
                lag.get(), (events - Math.max(0, lag.get())) / Math.max(0.001, (System.nanoTime() - t1) / 1e9)));
        awaitFolded(ctx.admin, lag, 1800);
        double foldSeconds = (System.nanoTime() - t1) / 1e9;
        ctx.progress.say(String.format("(5) folded in %.1f s (%.0f events/s, exactly-once, RocksDB store)",
                foldSeconds, events / foldSeconds));
        Map<String, Long> bytes = topicBytes();
        ctx.progress.say("(5) log sizes (bytes): " + bytes);
        if (c.launcher() == null || c.pidsDir() == null) {
            note.append("no --launcher/--pids-dir: services not restarted; ");
            return new Result(n, events, produceSeconds, foldSeconds, events / foldSeconds, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, null, null, bytes, note.toString());
        }
        // 3. the dispatcher: crash, the probes complete meanwhile, restart
        List<CompletableFuture<Long>> probeFolded = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            String command = probeCommands.get(i);
            probeFolded.add(ctx.watcher.await(probes.get(i), s -> s.version() == 3
                    && s.instances().get(0).status() == InstanceStatus.SUCCESS && s.command() != null
                    && s.command().commandId().value().equals(command)));
        }
        parts.kill("dispatcher", true);
        writeProbeCompletions(probes, templates);
        ctx.progress.phase("(5) dispatcher restarted after SIGKILL (store restored from its changelog)",
                () -> String.format("%d of %d probes folded", probeFolded.stream().filter(CompletableFuture::isDone)
                        .count(), probes.size()));
        long t2 = System.nanoTime();
        Process start = parts.start("dispatcher", Map.of());
        long healthy = parts.awaitStarted(start, "dispatcher");
        long folded = t2;
        for (CompletableFuture<Long> f : probeFolded) {
            folded = Math.max(folded, f.get(600, TimeUnit.SECONDS));
        }
        double dispatcherSeconds = (folded - t2) / 1e9;
        double dispatcherHealthy = (healthy - t2) / 1e9;
        ctx.progress.say(String.format("(5) dispatcher: healthy %.1f s after its start, folding onto the restored "
                + "state after %.1f s", dispatcherHealthy, dispatcherSeconds));
        // 4. the api-service: crash, restart, answer correctly
        parts.kill("api-service", true);
        List<String> checks = new ArrayList<>(probes);
        checks.addAll(sample);
        int[] correct = new int[1];
        ctx.progress.phase("(5) api-service restarted after SIGKILL (view read from invocation-state)",
                () -> String.format("%d of %d sample invocations answered right", correct[0], checks.size()));
        long t3 = System.nanoTime();
        Process apiStart = parts.start("api-service", Map.of());
        long apiHealthyAt = 0;
        long served = 0;
        long deadline = System.nanoTime() + 900_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (apiHealthyAt == 0 && !apiStart.isAlive()) {
                apiHealthyAt = System.nanoTime();
                if (apiStart.exitValue() != 0) {
                    throw new IOException("bin/stopplane start api-service failed: see " + parts.logOf("api-service"));
                }
            }
            int ok = 0;
            for (String id : checks) {
                try {
                    Map<String, String> statuses = ctx.describe(id);
                    if (statuses != null && "Success".equals(statuses.values().iterator().next())) {
                        ok++;
                    }
                } catch (IOException e) {
                    break; // not listening yet
                }
            }
            correct[0] = ok;
            if (ok == checks.size()) {
                served = System.nanoTime();
                break;
            }
            Thread.sleep(200);
        }
        if (apiHealthyAt == 0) {
            parts.awaitStarted(apiStart, "api-service");
            apiHealthyAt = System.nanoTime();
        }
        double apiSeconds = served == 0 ? Double.NaN : (served - t3) / 1e9;
        double apiHealthy = (apiHealthyAt - t3) / 1e9;
        ctx.progress.say(String.format("(5) api-service: healthy %.1f s after its start, answering right after %.1f s",
                apiHealthy, apiSeconds));
        String[] heap = parts.heapAfterGc("api-service");
        Double heapMb = heap == null ? null : Double.valueOf(heap[0]);
        ctx.progress.say("(5) api-service heap after a full GC: " + (heap == null ? "unknown" : heap[0] + " MB ("
                + heap[1] + ")"));
        return new Result(n, events, produceSeconds, foldSeconds, events / foldSeconds, dispatcherSeconds,
                dispatcherHealthy, apiSeconds, apiHealthy, heapMb, heap == null ? null : heap[1], bytes,
                note.toString());
    }

    /** Waits until the dispatcher's committed offsets on invocation-events reach the end. */
    static void awaitFolded(org.apache.kafka.clients.admin.Admin admin, AtomicLong lag, int timeoutSeconds)
            throws Exception {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                    Map.of(DISPATCHER_GROUP, new ListConsumerGroupOffsetsSpec())).partitionsToOffsetAndMetadata(
                    DISPATCHER_GROUP).get();
            Map<TopicPartition, OffsetSpec> ask = new LinkedHashMap<>();
            int partitions = admin.describeTopics(List.of(Topics.INVOCATION_EVENTS.name())).allTopicNames().get()
                    .get(Topics.INVOCATION_EVENTS.name()).partitions().size();
            for (int i = 0; i < partitions; i++) {
                ask.put(new TopicPartition(Topics.INVOCATION_EVENTS.name(), i), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(ask).all().get();
            long behind = 0;
            for (var e : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(e.getKey());
                // under exactly-once the committed offset may sit just before a transaction marker
                behind += Math.max(0, e.getValue().offset() - (at == null ? 0 : at.offset()) - 1);
            }
            lag.set(behind);
            if (behind == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException("the dispatcher did not fold the log within " + timeoutSeconds + " s");
    }

    private void writeProbeCompletions(List<String> probes, Templates templates) throws Exception {
        Properties p = BenchKafka.durableProducer(ctx.config.bootstrap());
        try (KafkaProducer<String, byte[]> producer = BenchKafka.producer(p)) {
            for (int i = 0; i < probes.size(); i++) {
                String invoke = probes.get(i);
                String instance = String.format("i-recprobe%s%02d", run, i);
                producer.send(new ProducerRecord<>(Topics.INVOCATION_EVENTS.name(), null, invoke,
                        templates.event(2, invoke, instance, null, -1 - i), templates.headers(2, invoke, -1 - i)));
            }
            producer.flush();
        }
    }

    private Map<String, Long> topicBytes() {
        return ctx.topicBytes(t -> t.equals(Topics.INVOCATION_EVENTS.name()) || t.equals(Topics.INVOCATION_STATE.name())
                || t.contains("changelog"));
    }

    /**
     * The three events of a run, serialized once with placeholders and filled in per invocation (Jackson for every one
     * of three million events would make the bench the slowest part of the phase).
     */
    static final class Templates {
        private static final String INVOKE = "t-PLACEHOLDERINVOKEID";
        private static final String INSTANCE = "i-PLACEHOLDERINSTANCE";
        private static final String COMMAND = "c-PLACEHOLDERCOMMANDID";
        private static final String EVENT = "EVENT-PLACEHOLDER";
        private final String[] json = new String[3];
        private final Map<String, String>[] headers;

        @SuppressWarnings("unchecked")
        Templates(BenchConfig c) {
            Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            var writer = StopPlaneJson.mapper().writerFor(InvocationEvent.class);
            InvokeId invoke = InvokeId.of(INVOKE);
            InstanceId instance = InstanceId.of(INSTANCE);
            InvocationEvent[] es = {
                new InvocationCreated(EVENT, invoke, at, RegionId.of(RpcClient.REGION),
                        new CommandSpec(CommandId.of(COMMAND), "nightly-logrotate", null, CommandSpec.RUN_SHELL_SCRIPT,
                                "logrotate -f /etc/logrotate.conf && systemctl reload nginx", 3600, null, null,
                                null),
                        List.of(instance), new Caller(c.accountId(), c.accessKeyId(), "127.0.0.1",
                                "4F1B8C7E-0000-4000-8000-0123456789AB", "stopplane-bench")),
                new InstanceStatusReported(EVENT, invoke, at.plusMillis(300), instance, InstanceStatus.RUNNING, null,
                        null, null, null, 0),
                new InstanceStatusReported(EVENT, invoke, at.plusMillis(900), instance, InstanceStatus.SUCCESS, 0,
                        null, null, null, 0)};
            headers = new Map[3];
            for (int i = 0; i < 3; i++) {
                json[i] = writer.writeValueAsString(es[i]);
                headers[i] = CloudEvents.of(es[i], "/stopplane/bench");
            }
        }

        byte[] event(int kind, String invoke, String instance, String command, int i) {
            String s = json[kind].replace(INVOKE, invoke).replace(INSTANCE, instance).replace(EVENT, eventId(kind, i));
            if (command != null) {
                s = s.replace(COMMAND, command);
            }
            return s.getBytes(StandardCharsets.UTF_8);
        }

        Iterable<org.apache.kafka.common.header.Header> headers(int kind, String invoke, int i) {
            List<org.apache.kafka.common.header.Header> hs = new ArrayList<>();
            headers[kind].forEach((k, v) -> hs.add(new org.apache.kafka.common.header.internals.RecordHeader(k,
                    (k.equals("ce_id") ? eventId(kind, i) : v).getBytes(StandardCharsets.UTF_8))));
            return hs;
        }

        private static String eventId(int kind, int i) {
            return "bench-" + i + "-" + kind;
        }
    }

    static boolean success(InvocationState s) {
        return s.instances().get(0).status() == InstanceStatus.SUCCESS;
    }
}
