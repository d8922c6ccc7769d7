package io.stopplane.bench;

import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * (1) End-to-end stop latency at a steady rate. First, one {@code sleep 600} invocation per stop to come is started on
 * one instance each (as fast as the agent starts them, at most {@code maxStartsInFlight} waiting) until all are
 * Running. Then StopInvocation at {@code rate} per second on an open-loop schedule, one per invocation. A stop's
 * latency runs from the instant its request was due to the instant the instance's {@code Terminated} state was
 * committed on {@code invocation-state}, the topic DescribeInvocations answers from. Every
 * {@code apiSampleEvery}-th stop is also followed through the API itself: from the moment that state is
 * committed, DescribeInvocations every millisecond until it says Terminated. The first {@code warmupSeconds} of stops
 * are not counted.
 */
final class E2eStopBench {

    static final long SAMPLE_POLL_NANOS = 1_000_000L;

    record Result(Histogram e2e, Histogram stopResponse, Histogram apiSeen, Histogram watcherSameSample, int stops,
            int errors, int lost, Map<String, Integer> outcomes, double ratePerSecond, double seconds, int started,
            double startSeconds, Map<String, Double> cpu) {
    }

    private final BenchContext ctx;

    E2eStopBench(BenchContext ctx) {
        this.ctx = ctx;
    }

    Result run() throws InterruptedException {
        return run(ctx.config.stopRate(), ctx.config.warmupSeconds(), ctx.config.measureSeconds());
    }

    Result run(double rate, int warmupSeconds, int measureSeconds) throws InterruptedException {
        BenchConfig c = ctx.config;
        int warm = (int) (warmupSeconds * rate);
        int total = warm + (int) (measureSeconds * rate);
        String[] ids = start(total);
        int started = 0;
        for (String id : ids) {
            started += id == null ? 0 : 1;
        }
        double startSeconds = lastStartSeconds;
        Latency e2e = new Latency();
        Latency stopResponse = new Latency();
        Latency apiSeen = new Latency();
        Latency watcherSample = new Latency();
        for (Latency l : List.of(e2e, stopResponse, apiSeen, watcherSample)) {
            l.counting(true);
        }
        List<CompletableFuture<?>> terminal = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger stops = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        ThreadPoolExecutor pool = OpenLoop.pool("bench-e2e", 96);
        ExecutorService samplers = OpenLoop.pool("bench-e2e-api", 4);
        ctx.progress.phase(String.format("(1) stop latency: %d stops at %.0f/s (first %d not counted)", started,
                rate, warm), () -> String.format("stops %d, %d errors, %s", stops.get(), errors.get(),
                        Latency.brief(e2e.snapshot())));
        List<String> running = new ArrayList<>();
        for (String id : ids) {
            if (id != null) {
                running.add(id);
            }
        }
        long t0 = System.nanoTime() + 100_000_000L;
        CpuAccount cpu = ctx.cpu();
        OpenLoop.run(rate, t0, running.size(), pool, (k, due) -> {
            String id = running.get(k);
            boolean counted = k >= warm;
            CompletableFuture<Long> done = ctx.watcher.await(id, BenchContext::firstTerminal);
            terminal.add(done);
            try {
                RpcClient.Response r = ctx.stop(id);
                long answered = System.nanoTime();
                if (!r.ok()) {
                    errors.incrementAndGet();
                    done.cancel(false);
                    return;
                }
                if (counted) {
                    stopResponse.recordNanos(answered - due);
                }
                stops.incrementAndGet();
                done.thenAccept(at -> {
                    InvocationState s = ctx.watcher.latest(id);
                    outcomes.merge(s == null ? "?" : s.instances().get(0).status().wireName(), 1, Integer::sum);
                    if (counted) {
                        e2e.recordNanos(at - due);
                    }
                });
                if (counted && k % c.apiSampleEvery() == 0) {
                    samplers.execute(() -> followThroughApi(ctx, id, due, done, apiSeen, watcherSample));
                }
            } catch (Exception e) {
                errors.incrementAndGet();
            }
        }, () -> true);
        long issuedEnd = System.nanoTime();
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        int lost = 0;
        for (CompletableFuture<?> f : terminal.toArray(CompletableFuture[]::new)) {
            try {
                f.get(Math.max(1, 30_000_000_000L - (System.nanoTime() - issuedEnd)), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                if (!f.isCancelled()) {
                    lost++;
                }
            }
        }
        Map<String, Double> cpuUsed = cpu.stop();
        samplers.shutdown();
        samplers.awaitTermination(30, TimeUnit.SECONDS);
        Histogram h = e2e.snapshot();
        double seconds = (running.size() - warm) / rate;
        Result result = new Result(h, stopResponse.snapshot(), apiSeen.snapshot(), watcherSample.snapshot(),
                stops.get(), errors.get(), lost, new LinkedHashMap<>(outcomes), rate, seconds, started, startSeconds,
                cpuUsed);
        ctx.progress.say(String.format("(1) stop latency at %.0f/s: %s; StopInvocation response %s; %d errors, %d "
                + "lost; outcomes %s", rate, Latency.brief(h), Latency.brief(result.stopResponse()), result.errors(),
                lost, outcomes));
        ctx.progress.say(String.format("(1) API sample (every %dth stop, DescribeInvocations every 1 ms once "
                + "committed): %s; the same stops on invocation-state: %s", c.apiSampleEvery(),
                Latency.brief(result.apiSeen()), Latency.brief(result.watcherSameSample())));
        ctx.progress.say("(1) CPU seconds while stopping: " + cpuUsed);
        return result;
    }

    private double lastStartSeconds;

    /** Starts {@code n} one-instance {@code sleep 600} invocations and waits until they are Running. */
    private String[] start(int n) throws InterruptedException {
        BenchConfig c = ctx.config;
        List<String> instances = c.instances();
        String[] ids = new String[n];
        AtomicInteger running = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Semaphore inFlight = new Semaphore(c.maxStartsInFlight());
        ThreadPoolExecutor pool = OpenLoop.pool("bench-e2e-start", 8);
        long t0 = System.nanoTime();
        ctx.progress.phase(String.format("(1) starting %d sleep invocations to stop", n), () -> String.format(
                "%d of %d Running (%.0f/s), %d failed", running.get(), n,
                running.get() / Math.max(0.001, (System.nanoTime() - t0) / 1e9), failed.get()));
        CountDown all = new CountDown(n);
        for (int k = 0; k < n; k++) {
            inFlight.acquire();
            int index = k;
            pool.execute(() -> {
                try {
                    String id = ctx.runSleep(List.of(instances.get(index % instances.size())));
                    ids[index] = id;
                    ctx.watcher.await(id, s -> s.instances().get(0).status() != InstanceStatus.PENDING)
                            .orTimeout(120, TimeUnit.SECONDS)
                            .whenComplete((at, error) -> {
                                InvocationState s = ctx.watcher.latest(id);
                                if (error == null && s != null
                                        && s.instances().get(0).status() == InstanceStatus.RUNNING) {
                                    running.incrementAndGet();
                                } else {
                                    ids[index] = null;
                                    failed.incrementAndGet();
                                }
                                inFlight.release();
                                all.down();
                            });
                } catch (Exception e) {
                    failed.incrementAndGet();
                    inFlight.release();
                    all.down();
                }
            });
        }
        all.await();
        pool.shutdown();
        lastStartSeconds = (System.nanoTime() - t0) / 1e9;
        ctx.progress.say(String.format("(1) %d invocations Running after %.1f s (%.0f starts/s), %d failed",
                running.get(), lastStartSeconds, running.get() / lastStartSeconds, failed.get()));
        return ids;
    }

    private static final class CountDown {
        private final java.util.concurrent.CountDownLatch latch;

        CountDown(int n) {
            latch = new java.util.concurrent.CountDownLatch(n);
        }

        void down() {
            latch.countDown();
        }

        void await() throws InterruptedException {
            latch.await();
        }
    }

    /** One sampled stop followed through DescribeInvocations; {@code watcherSample} (may be null) gets the same stop's commit. */
    static void followThroughApi(BenchContext ctx, String id, long due, CompletableFuture<Long> watcherSaw,
            Latency apiSeen, Latency watcherSample) {
        try {
            // The API's view reads the same topic: it cannot say Terminated before the state is committed, so ask from
            // then on, every millisecond (asking before would only load the API the bench is measuring).
            long committed = watcherSaw.get(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline) {
                long asked = System.nanoTime();
                Map<String, String> statuses = ctx.describe(id);
                String s = statuses == null ? null : statuses.values().iterator().next();
                if (s != null && !s.equals("Running") && !s.equals("Stopping") && !s.equals("Pending")) {
                    apiSeen.recordNanos(System.nanoTime() - due);
                    if (watcherSample != null) {
                        watcherSample.recordNanos(committed - due);
                    }
                    return;
                }
                OpenLoop.waitUntil(asked + SAMPLE_POLL_NANOS);
            }
        } catch (Exception e) {
            // a failed sample is just not counted
        }
    }
}
