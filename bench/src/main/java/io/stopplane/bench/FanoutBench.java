package io.stopplane.bench;

import io.stopplane.model.status.InstanceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * (4) Fan-out: ten invocations of {@code sleep 600} on the same hundred instances of one agent, 1,000 processes; once
 * all are Running, ten StopInvocation calls at once; the time from the first call to the last instance's
 * {@code Terminated} as DescribeInvocations shows it (polled every 20 ms once {@code invocation-state} has them all, so
 * the polling does not load the API while it stops them).
 */
final class FanoutBench {

    record Result(int invocations, int processes, double startSeconds, double stopSeconds, double stateSeconds,
            double firstTerminatedSeconds,
            double callsSeconds, boolean confirmedByApi, String note, Map<String, Double> cpu) {
    }

    private final BenchContext ctx;

    FanoutBench(BenchContext ctx) {
        this.ctx = ctx;
    }

    Result run() throws Exception {
        BenchConfig c = ctx.config;
        int n = c.fanoutInvocations();
        List<String> instances = c.instances().subList(0, Math.min(c.fanoutInstances(), c.instances().size()));
        int processes = n * instances.size();
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<Long>> running = new ArrayList<>();
        ctx.progress.phase(String.format("(4) fan-out: starting %d processes (%d invocations x %d instances)",
                processes, n, instances.size()), () -> String.format("%d of %d invocations all Running", done(running),
                n));
        long startT0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String id = ctx.runSleep(instances);
            ids.add(id);
            running.add(ctx.watcher.awaitAll(id, InstanceStatus.RUNNING));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(600, TimeUnit.SECONDS);
        double startSeconds = (System.nanoTime() - startT0) / 1e9;
        ctx.progress.say(String.format("(4) %d processes Running after %.1f s", processes, startSeconds));
        Thread.sleep(1000);
        List<CompletableFuture<Long>> terminated = new ArrayList<>();
        List<CompletableFuture<Long>> firstOfEach = new ArrayList<>();
        for (String id : ids) {
            terminated.add(ctx.watcher.await(id, s -> s.instances().stream().allMatch(i -> i.status().isTerminal())));
            firstOfEach.add(ctx.watcher.await(id, s -> s.instances().stream().anyMatch(i -> i.status().isTerminal())));
        }
        ctx.progress.phase(String.format("(4) fan-out: stopping %d processes with %d calls", processes, n),
                () -> String.format("%d of %d invocations all Terminated", done(terminated), n));
        ExecutorService pool = OpenLoop.pool("bench-fanout", n);
        CpuAccount cpu = ctx.cpu();
        long t0 = System.nanoTime();
        List<Future<RpcClient.Response>> calls = new ArrayList<>();
        for (String id : ids) {
            calls.add(pool.submit(() -> ctx.stop(id)));
        }
        StringBuilder note = new StringBuilder();
        for (Future<RpcClient.Response> f : calls) {
            RpcClient.Response r = f.get(60, TimeUnit.SECONDS);
            if (!r.ok()) {
                note.append("StopInvocation answered ").append(r.status()).append(' ').append(r.code()).append("; ");
            }
        }
        double callsSeconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        long last = 0;
        for (CompletableFuture<Long> f : terminated) {
            last = Math.max(last, f.get(600, TimeUnit.SECONDS));
        }
        long first = Long.MAX_VALUE;
        for (CompletableFuture<Long> f : firstOfEach) {
            first = Math.min(first, f.get(600, TimeUnit.SECONDS));
        }
        double stateSeconds = (last - t0) / 1e9;
        // What the API says: from the moment the state topic has them all, DescribeInvocations every 20 ms until it
        // shows all of them Terminated too (its view reads the same topic, a moment later under load).
        boolean confirmed = false;
        long apiAt = 0;
        Map<String, Map<String, String>> lastSeen = new java.util.LinkedHashMap<>();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!confirmed && System.nanoTime() < deadline) {
            long asked = System.nanoTime();
            confirmed = true;
            for (String id : ids) {
                Map<String, String> statuses = ctx.describe(id);
                lastSeen.put(id, statuses);
                long terminatedCount = statuses == null ? 0
                        : statuses.values().stream().filter("Terminated"::equals).count();
                if (terminatedCount != instances.size()) {
                    confirmed = false;
                    break;
                }
            }
            if (confirmed) {
                apiAt = System.nanoTime();
            } else {
                OpenLoop.waitUntil(asked + 20_000_000L);
            }
        }
        Map<String, Double> cpuUsed = cpu.stop();
        if (!confirmed) {
            lastSeen.forEach((id, st) -> note.append(id).append(": DescribeInvocations shows ").append(st)
                    .append("; "));
        }
        double stopSeconds = confirmed ? (apiAt - t0) / 1e9 : Double.NaN;
        Result result = new Result(n, processes, startSeconds, stopSeconds, stateSeconds, (first - t0) / 1e9,
                callsSeconds, confirmed, note.toString(), cpuUsed);
        ctx.progress.say(String.format("(4) fan-out: all %d Terminated through DescribeInvocations %.2f s after the "
                + "first of %d calls (on invocation-state after %.2f s; the first after %.2f s; calls answered within "
                + "%.2f s)", processes, stopSeconds, n, stateSeconds, result.firstTerminatedSeconds(), callsSeconds));
        ctx.progress.say("(4) CPU seconds while stopping: " + cpuUsed);
        return result;
    }

    private static int done(List<CompletableFuture<Long>> futures) {
        int d = 0;
        for (CompletableFuture<Long> f : List.copyOf(futures)) {
            d += f.isDone() ? 1 : 0;
        }
        return d;
    }
}
