package io.stopplane.bench;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.CloudEvents;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * (3) API throughput: the highest StopInvocation rate (signed V3, one instance each) the API sustains with a p99
 * response time within 100 ms, stepping the rate up by a factor until a step fails (p99 over 100 ms, errors, or fewer
 * answers than asked for). The calls go to invocations that stay unfinished, so every call does the whole job (look-up,
 * one transaction of StopRequested + StopCommand): invocations created straight on {@code invocation-events} for
 * instances no agent hosts, which therefore stay {@code Stopping} (500 of them, stopped again and again: every stop of
 * an unfinished target is published). Next to it, raw producers doing the API's write with
 * the same durability: {@code acks=all}, idempotent, one transaction of the same two records per decision, as many
 * transactions in flight as the API had calls in flight.
 */
final class ThroughputBench {

    static final double P99_LIMIT_MS = 100;
    static final String[] RAW_TOPICS = {"bench-tx-events", "bench-tx-commands"};

    record Step(double rate, double achieved, double p50, double p99, double max, int errors, boolean passed,
            Map<String, Integer> errorCodes, Map<String, Double> cpu) {

        Step withCpu(Map<String, Double> used) {
            return new Step(rate, achieved, p50, p99, max, errors, passed, errorCodes, used);
        }
    }

    record Result(double bestRate, double bestP99, List<Step> steps, double rawDecisionsPerSecond,
            double rawRecordsPerSecond, int rawThreads, double rawPipelinedRecordsPerSecond, Map<String, Double> cpu) {
    }

    private final BenchContext ctx;

    ThroughputBench(BenchContext ctx) {
        this.ctx = ctx;
    }

    Result run() throws Exception {
        BenchConfig c = ctx.config;
        List<String> ghosts = createGhosts(c.ghostInvocations());
        List<Step> steps = new ArrayList<>();
        ThreadPoolExecutor pool = OpenLoop.pool("bench-api", 512);
        AtomicInteger next = new AtomicInteger();
        Step best = null;
        Map<String, Double> cpu = null;
        double rate = c.throughputStartRate();
        double failedAt = 0;
        // The signed-request path is cold here (the stop phases sent few calls): one uncounted step at the start rate,
        // else the search starts by stepping down from rates a warm API sustains (seen: 600/s over, then 3,830/s ok).
        ctx.progress.say(String.format("(3) warm-up: %.0f StopInvocation/s, not counted", rate));
        step(rate, ghosts, next, pool);
        Thread.sleep(1000);
        for (int attempt = 0; attempt < (c.quick() ? 6 : 14); attempt++) {
            CpuAccount account = ctx.cpu();
            Map<String, Double> used;
            Step step = step(rate, ghosts, next, pool);
            used = account.stop();
            step = step.withCpu(used);
            steps.add(step);
            ctx.progress.say(String.format("(3) %5.0f calls/s asked, %5.0f answered: p50 %.1f p99 %.1f max %.1f ms, "
                    + "%d errors %s -> %s", step.rate(), step.achieved(), step.p50(), step.p99(), step.max(),
                    step.errors(), step.errorCodes().isEmpty() ? "" : step.errorCodes(),
                    step.passed() ? "ok" : "over") + "; CPU s " + used);
            if (step.passed()) {
                if (best == null || step.achieved() > best.achieved()) {
                    best = step;
                    cpu = used;
                }
                if (failedAt > 0) {
                    break; // the refinement between the last pass and the first failure passed
                }
                rate *= c.throughputFactor();
            } else {
                if (best == null) {
                    if (rate / 2 < MIN_RATE) {
                        break;
                    }
                    rate /= 2; // not even the first rate: find one that holds, going down
                    Thread.sleep(1000);
                    continue;
                }
                if (failedAt > 0 || c.quick()) {
                    break;
                }
                failedAt = rate;
                rate = (best.rate() + failedAt) / 2; // one step between the last pass and the failure
            }
            Thread.sleep(1000); // let the backlog of the last step drain
        }
        pool.shutdown();
        finishGhosts(ghosts);
        ctx.watcher.remember(true);
        // As many transactions in flight as the API had calls in flight at its best, and at least 16: the raw
        // producers' best, not a straw man.
        int threads = best == null ? 16 : Math.max(16, (int) Math.ceil(best.achieved() * best.p50() / 1000.0));
        double[] raw = rawProducer(Math.min(64, threads), c.rawProducerSeconds());
        double pipelined = rawPipelined(c.rawProducerSeconds());
        Result result = new Result(best == null ? 0 : best.achieved(), best == null ? Double.NaN : best.p99(), steps,
                raw[0], raw[0] * 2, Math.min(64, threads), pipelined, cpu == null ? Map.of() : cpu);
        ctx.progress.say(String.format("(3) API: %.0f StopInvocation/s with p99 %.1f ms; raw producers, one "
                + "transaction of 2 records per decision (%d in flight): %.0f decisions/s (%.0f records/s); one "
                + "idempotent acks=all producer, no transactions: %.0f records/s", result.bestRate(), result.bestP99(),
                result.rawThreads(), raw[0], raw[0] * 2, pipelined));
        if (cpu != null) {
            ctx.progress.say("(3) CPU seconds during the best step: " + cpu);
        }
        return result;
    }

    /** Below this the search for a sustained rate gives up. */
    private static final double MIN_RATE = 50;

    private Step step(double rate, List<String> ghosts, AtomicInteger next, ThreadPoolExecutor pool)
            throws InterruptedException {
        BenchConfig c = ctx.config;
        int warm = (int) (rate * c.stepWarmupSeconds());
        int total = warm + (int) (rate * c.stepSeconds());
        Latency latency = new Latency();
        latency.counting(true);
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        Map<String, Integer> codes = new ConcurrentHashMap<>();
        AtomicLong firstCounted = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong();
        ctx.progress.phase(String.format("(3) API throughput: %.0f StopInvocation/s", rate), () -> String.format(
                "%d answered, %d errors, %s", answered.get(), errors.get(), Latency.brief(latency.snapshot())));
        long t0 = System.nanoTime() + 50_000_000L;
        firstCounted.set(t0 + (long) (warm * 1e9 / rate));
        AtomicBoolean overloaded = new AtomicBoolean();
        OpenLoop.run(rate, t0, total, pool, (k, due) -> {
            String id = ghosts.get(Math.floorMod(next.getAndIncrement(), ghosts.size()));
            try {
                RpcClient.Response r = ctx.stop(id);
                long now = System.nanoTime();
                if (k >= warm) {
                    latency.recordNanos(now - due);
                    answered.incrementAndGet();
                    lastAnswer.accumulateAndGet(now, Math::max);
                    if (!r.ok()) {
                        errors.incrementAndGet();
                        codes.merge(r.code(), 1, Integer::sum);
                    }
                }
            } catch (Exception e) {
                if (k >= warm) {
                    errors.incrementAndGet();
                    codes.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                }
            }
        }, () -> !overloaded.get() && pool.getQueue().size() < 20_000);
        // wait for the step's calls to be answered (bounded: a step that cannot keep up has failed anyway)
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((pool.getActiveCount() > 0 || !pool.getQueue().isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Histogram h = latency.snapshot();
        int measured = total - warm;
        double seconds = Math.max(1e-9, (lastAnswer.get() - firstCounted.get()) / 1e9);
        double achieved = answered.get() / Math.max(seconds, measured / rate);
        boolean passed = answered.get() >= measured * 0.99 && errors.get() == 0 && Latency.ms(h, 99) <= P99_LIMIT_MS
                && achieved >= rate * 0.95;
        return new Step(Math.round(rate), Math.round(achieved), Latency.round(Latency.ms(h, 50)),
                Latency.round(Latency.ms(h, 99)), Latency.round(Latency.maxMs(h)), errors.get(), passed,
                new LinkedHashMap<>(codes), Map.of());
    }

    /**
     * Unfinished invocations owned by the bench's account, on instances no agent hosts, written as RunCommand would
     * write them; returns their ids once the API's view has them (the dispatcher folded them).
     */
    private List<String> createGhosts(int n) throws Exception {
        ctx.progress.phase(String.format("(3) creating %d unfinished invocations to stop", n), () -> "");
        List<String> ids = new ArrayList<>();
        List<InvocationEvent> created = new ArrayList<>();
        List<CompletableFuture<Long>> folded = new ArrayList<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < n; i++) {
            InvokeId id = InvokeId.random();
            created.add(new InvocationCreated(UUID.randomUUID().toString(), id, now,
                    RegionId.of(RpcClient.REGION), new CommandSpec(CommandId.random(), "stopplane-bench", null,
                            CommandSpec.RUN_SHELL_SCRIPT, "sleep 600", 3600, null, null, null),
                    List.of(ghostInstance(i)),
                    new Caller(ctx.config.accountId(), ctx.config.accessKeyId(), "127.0.0.1",
                            UUID.randomUUID().toString().toUpperCase(), "stopplane-bench")));
            folded.add(ctx.watcher.await(id.value(), s -> true));
            ids.add(id.value());
        }
        publish(created);
        CompletableFuture.allOf(folded.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        // the API reads the same topic: make sure it has the last of them too
        String last = ids.get(ids.size() - 1);
        for (int i = 0; i < 100 && ctx.describe(last) == null; i++) {
            Thread.sleep(100);
        }
        ctx.watcher.remember(false); // the states of the steps' stops are not needed
        return ids;
    }

    /**
     * Acknowledges the ghosts' stops as an agent would ({@code Cancelled}), so that they end: left Stopping, the
     * dispatcher would check their timers every second for good, and the later phases would pay for it.
     */
    private void finishGhosts(List<String> ghosts) {
        List<InvocationEvent> reports = new ArrayList<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < ghosts.size(); i++) {
            reports.add(new io.stopplane.model.event.InstanceStatusReported(UUID.randomUUID().toString(),
                    InvokeId.of(ghosts.get(i)), now, ghostInstance(i), InstanceStatus.CANCELLED, null,
                    "ExecutionInterrupted", "stopped before it ran (stopplane-bench)", null, 0));
        }
        publish(reports);
    }

    private static InstanceId ghostInstance(int i) {
        return InstanceId.of(String.format("i-ghost%05d", i));
    }

    /** Writes the events to invocation-events as the services do (keyed by invocation, CloudEvents headers). */
    private void publish(List<InvocationEvent> events) {
        Properties p = BenchKafka.durableProducer(ctx.config.bootstrap());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        var writer = StopPlaneJson.mapper().writerFor(InvocationEvent.class);
        try (KafkaProducer<String, byte[]> producer = BenchKafka.producer(p)) {
            for (InvocationEvent e : events) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(Topics.INVOCATION_EVENTS.name(),
                        e.invokeId().value(), writer.writeValueAsBytes(e));
                CloudEvents.of(e, "/stopplane/bench").forEach((k, v) -> r.headers().add(k,
                        v.getBytes(StandardCharsets.UTF_8)));
                producer.send(r);
            }
        }
    }

    /** Decisions per second of {@code threads} transactional producers, each committing the API's two records. */
    private double[] rawProducer(int threads, int seconds) throws Exception {
        BenchKafka.recreateLikeInvocationEvents(ctx.admin, RAW_TOPICS);
        List<RawChainBench.Record> shapes = RawChainBench.sampleRecords();
        byte[] event = new byte[shapes.get(1).value().length];
        byte[] command = shapes.get(0).value();
        AtomicLong decisions = new AtomicLong();
        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        ctx.progress.phase(String.format("(3) raw transactional producers (%d)", threads), () -> String.format(
                "%d decisions", decisions.get()));
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread w = new Thread(() -> {
                Properties p = BenchKafka.durableProducer(ctx.config.bootstrap());
                p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
                p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "stopplane-bench-tx-" + UUID.randomUUID() + "-" + index);
                try (KafkaProducer<String, byte[]> producer = BenchKafka.producer(p)) {
                    producer.initTransactions();
                    int k = 0;
                    while (running.get()) {
                        producer.beginTransaction();
                        String key = "t-" + index + "x" + k++;
                        producer.send(new ProducerRecord<>(RAW_TOPICS[0], key, event));
                        producer.send(new ProducerRecord<>(RAW_TOPICS[1], "i-ghost" + (k % 5000), command));
                        producer.commitTransaction();
                        if (counting.get()) {
                            decisions.incrementAndGet();
                        }
                    }
                } catch (RuntimeException e) {
                    // stopped
                }
            }, "bench-raw-tx-" + t);
            workers.add(w);
            w.start();
        }
        Thread.sleep(2000);
        counting.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        counting.set(false);
        double rate = decisions.get() / ((System.nanoTime() - t0) / 1e9);
        running.set(false);
        for (Thread w : workers) {
            w.join(10_000);
        }
        return new double[] {rate};
    }

    /** Records per second of one idempotent acks=all producer without transactions, sending as fast as it can. */
    private double rawPipelined(int seconds) throws Exception {
        List<RawChainBench.Record> shapes = RawChainBench.sampleRecords();
        byte[] event = new byte[shapes.get(1).value().length];
        Properties p = BenchKafka.durableProducer(ctx.config.bootstrap());
        AtomicLong acked = new AtomicLong();
        ctx.progress.phase("(3) raw idempotent producer, no transactions", () -> acked.get() + " records");
        try (KafkaProducer<String, byte[]> producer = BenchKafka.producer(p)) {
            long warmEnd = System.nanoTime() + 1_000_000_000L;
            long t0 = 0;
            long end = warmEnd + seconds * 1_000_000_000L;
            long counted = 0;
            int k = 0;
            while (System.nanoTime() < end) {
                boolean count = System.nanoTime() >= warmEnd;
                if (count && t0 == 0) {
                    t0 = System.nanoTime();
                    counted = acked.get();
                }
                producer.send(new ProducerRecord<>(RAW_TOPICS[0], "t-" + k++, event), (m, e) -> {
                    if (e == null) {
                        acked.incrementAndGet();
                    }
                });
            }
            double rate = (acked.get() - counted) / ((System.nanoTime() - t0) / 1e9);
            producer.flush();
            BenchKafka.deleteTopics(ctx.admin, RAW_TOPICS);
            return rate;
        }
    }

    static boolean unfinished(InstanceStatus s) {
        return !s.isTerminal();
    }
}
