package io.stopplane.bench;

import io.stopplane.model.agent.AgentRegistrar;
import io.stopplane.model.status.InstanceStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * (7) A fleet of simulated agents ({@link Fleet}) on the stack's one agent-gateway: registration through activations
 * (CreateActivation, at most {@link #PER_ACTIVATION} instances each), one connection per agent, then what the gateway
 * costs holding them (heap after a full GC, CPU over an idle stretch, the broker connections it needs), stop latency at
 * {@link #STOP_RATE} stops/s spread over the fleet (StopInvocation due → {@code Terminated} committed on
 * invocation-state, what DescribeInvocations answers from, as (1) measures it), and a gateway SIGKILLed and restarted
 * with stops issued while it is away: how long until every agent is connected again and every one of those stops has
 * landed.
 */
final class FleetBench {

    static final double STOP_RATE = 100;
    static final int PER_ACTIVATION = 1000;
    private static final int REGISTER_THREADS = 128;
    private static final int CONNECTS_IN_FLIGHT = 256;
    private static final String GATEWAY = "agent-gateway";

    record Result(int agents, int activations, double registerSeconds, double connectSeconds, Double heapBeforeMb,
            Double heapMb, String heapDetail, double idleCpuCores, double idleSeconds, Map<String, Double> idleCpu,
            Map<String, Long> idleTopicBytesPerSecond,
            KafkaClients kafkaBefore, KafkaClients kafkaWithFleet, Histogram stopLatency, Histogram stopArrived,
            Histogram apiSeen, int stops, int stopErrors, int stopsLost, int started, double startSeconds,
            Reconnect reconnect, Map<String, Long> agentErrors, String note) {
    }

    /** Established TCP connections to the broker's port: all of them, and the gateway's own. */
    record KafkaClients(int total, int gateway) {
    }

    /**
     * {@code lost}: stops not landed although their agent is connected again; {@code away}: not landed because their
     * agent is not back yet (at the deadline), so not delivered rather than lost.
     */
    record Reconnect(double fromRestartSeconds, double fromKillSeconds, double gatewayHealthySeconds, int stops,
            int landed, int lost, int away, int connectedAgain) {
    }

    private final BenchContext ctx;
    private final StackParts parts;
    /** Which agent each started invocation runs on. */
    private final Map<String, Fleet.Agent> agentOf = new java.util.concurrent.ConcurrentHashMap<>();

    FleetBench(BenchContext ctx) {
        this.ctx = ctx;
        this.parts = new StackParts(ctx.config);
    }

    Result run() throws Exception {
        BenchConfig c = ctx.config;
        if (!parts.available() || c.gateway() == null) {
            throw new IllegalStateException("the fleet phase needs the bench's own stack (its launcher, pid files and"
                    + " gateway): run it without --target");
        }
        int n = c.fleetAgents();
        KafkaClients kafkaBefore = kafkaClients();
        Double heapBefore = parts.heapMbAfterGc(GATEWAY);
        try (Fleet fleet = new Fleet(c.gateway(), n)) {
            int activations = (n + PER_ACTIVATION - 1) / PER_ACTIVATION;
            double registerSeconds = register(fleet, n, activations);
            long t0 = System.nanoTime();
            ctx.progress.phase(String.format("(7) fleet: connecting %,d agents", fleet.size()),
                    () -> String.format("%,d connected", fleet.connected()));
            fleet.connectAll(CONNECTS_IN_FLIGHT);
            awaitConnected(fleet, 600);
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            ctx.progress.say(String.format("(7) %,d agents connected after %.1f s", fleet.connected(), connectSeconds));

            KafkaClients kafkaWithFleet = kafkaClients();
            ctx.progress.say("(7) broker connections: " + kafkaBefore + " without the fleet, " + kafkaWithFleet
                    + " with it");
            // idle: every agent connected, pinging every 10 s; the gateway writes their heartbeats every 5 s
            ctx.progress.phase(String.format("(7) fleet: idle for %d s", c.fleetIdleSeconds()),
                    () -> String.format("%,d connected", fleet.connected()));
            Map<String, Long> bytesBefore = ctx.topicBytes(t -> true);
            CpuAccount cpu = ctx.cpu();
            Thread.sleep(c.fleetIdleSeconds() * 1000L);
            Map<String, Double> idleCpu = cpu.stop();
            double idleSeconds = idleCpu.getOrDefault("elapsed", (double) c.fleetIdleSeconds());
            Map<String, Long> idleBytes = new LinkedHashMap<>();
            ctx.topicBytes(t -> true).forEach((t, b) -> {
                long grown = b - bytesBefore.getOrDefault(t, 0L);
                if (grown > 0) {
                    idleBytes.put(t, Math.round(grown / idleSeconds));
                }
            });
            ctx.progress.say("(7) bytes/s written to the topics while idle: " + idleBytes);
            double idleCores = idleCpu.getOrDefault(GATEWAY, Double.NaN) / idleSeconds;
            String[] heap = parts.heapAfterGc(GATEWAY);
            ctx.progress.say(String.format("(7) idle gateway: %.3f cores over %.0f s; heap after a full GC: %s",
                    idleCores, idleSeconds, heap == null ? "unknown" : heap[0] + " MB (" + heap[1] + ")"));

            List<Fleet.Agent> agents = fleet.agents();
            int stopCount = (int) (STOP_RATE * c.fleetStopSeconds());
            int reconnectStops = (int) (STOP_RATE * c.fleetReconnectStopSeconds());
            // one invocation per stop, each on an agent of its own (as many as the fleet has)
            long s0 = System.nanoTime();
            List<String> invocations = start(agents, 0, stopCount + reconnectStops);
            double startSeconds = (System.nanoTime() - s0) / 1e9;
            List<String> measured = invocations.subList(0, Math.min(stopCount, invocations.size()));
            List<String> whileAway = invocations.subList(measured.size(), invocations.size());

            Latency e2e = new Latency();
            Latency arrived = new Latency();
            Latency apiSeen = new Latency();
            for (Latency l : List.of(e2e, arrived, apiSeen)) {
                l.counting(true);
            }
            AtomicInteger errors = new AtomicInteger();
            ctx.progress.phase(String.format("(7) fleet: %d stops at %.0f/s over %d agents", measured.size(),
                    STOP_RATE, measured.size()), () -> Latency.brief(e2e.snapshot()));
            Map<String, CompletableFuture<Long>> terminal = stops(fleet, measured, e2e, arrived, apiSeen, errors);
            int lost = unfinished(terminal.values(), 60);
            Histogram h = e2e.snapshot();
            ctx.progress.say(String.format("(7) stop latency at %.0f/s over the fleet: %s; at the agent: %s; %d errors,"
                    + " %d lost", STOP_RATE, Latency.brief(h), Latency.brief(arrived.snapshot()), errors.get(), lost));

            Reconnect reconnect = reconnect(fleet, whileAway, errors);
            Map<String, Long> agentErrors = new LinkedHashMap<>();
            fleet.errors.forEach((k, v) -> agentErrors.put(k, v.get()));
            String note = n > fleet.size() ? String.format("%,d of %,d agents registered", fleet.size(), n) : "";
            return new Result(fleet.size(), activations, registerSeconds, connectSeconds, heapBefore,
                    heap == null ? null : Double.valueOf(heap[0]), heap == null ? null : heap[1], idleCores,
                    idleSeconds, idleCpu, idleBytes, kafkaBefore, kafkaWithFleet, h, arrived.snapshot(), apiSeen.snapshot(),
                    measured.size(), errors.get(), lost, invocations.size(), startSeconds, reconnect, agentErrors,
                    note);
        }
    }

    /** {@code activations} activations of up to {@link #PER_ACTIVATION}, then {@code n} registrations through them. */
    private double register(Fleet fleet, int n, int activations) throws Exception {
        List<String[]> codes = new ArrayList<>();
        for (int a = 0; a < activations; a++) {
            int count = Math.min(PER_ACTIVATION, n - a * PER_ACTIVATION);
            RpcClient.Response r = ctx.client.call("CreateActivation", BenchContext.params("InstanceName",
                    "fleet-bench-" + a, "InstanceCount", Integer.toString(count), "TimeToLiveInHours", "4",
                    "Description", "bin/stopplane bench, fleet phase"));
            if (!r.ok()) {
                throw new IOException("CreateActivation failed: " + r.status() + " " + r.body());
            }
            codes.add(new String[] {r.json().path("ActivationId").asString(), r.json().path("ActivationCode").asString()});
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        AgentRegistrar registrar = new AgentRegistrar(URI.create(ctx.config.gateway() + "/agent/v1/register"), http,
                "fleet-bench", "fleet-bench");
        AtomicInteger failed = new AtomicInteger();
        ThreadPoolExecutor pool = OpenLoop.pool("bench-fleet-register", REGISTER_THREADS);
        long t0 = System.nanoTime();
        ctx.progress.phase(String.format("(7) fleet: registering %,d agents with %d activations", n, activations),
                () -> String.format("%,d registered (%.0f/s), %d failed", fleet.size(),
                        fleet.size() / Math.max(0.001, (System.nanoTime() - t0) / 1e9), failed.get()));
        for (int i = 0; i < n; i++) {
            String[] code = codes.get(i / PER_ACTIVATION);
            pool.execute(() -> {
                for (int attempt = 0; attempt < 3; attempt++) {
                    try {
                        fleet.register(registrar, code[0], code[1]);
                        return;
                    } catch (AgentRegistrar.Refused e) {
                        break;
                    } catch (Exception e) {
                        // a 503 (no verdict in time) or a lost connection: try again
                    }
                }
                failed.incrementAndGet();
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - t0) / 1e9;
        ctx.progress.say(String.format("(7) %,d agents registered in %.1f s (%.0f/s), %d failed", fleet.size(),
                seconds, fleet.size() / seconds, failed.get()));
        if (fleet.size() == 0) {
            throw new IOException("no agent could register");
        }
        return seconds;
    }

    private void awaitConnected(Fleet fleet, int maxSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        while (fleet.connected() < fleet.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** A {@code sleep 600} invocation on each of {@code count} agents (wrapping round the fleet), until Running. */
    private List<String> start(List<Fleet.Agent> agents, int from, int count) throws InterruptedException {
        String[] ids = new String[count];
        AtomicInteger running = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Semaphore inFlight = new Semaphore(ctx.config.maxStartsInFlight());
        ThreadPoolExecutor pool = OpenLoop.pool("bench-fleet-start", 16);
        java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(count);
        ctx.progress.phase(String.format("(7) fleet: starting %d invocations to stop", count),
                () -> String.format("%d of %d Running, %d failed", running.get(), count, failed.get()));
        for (int k = 0; k < count; k++) {
            inFlight.acquire();
            int index = k;
            pool.execute(() -> {
                try {
                    Fleet.Agent agent = agents.get((from + index) % agents.size());
                    String id = ctx.runSleep(List.of(agent.instanceId));
                    agentOf.put(id, agent);
                    ctx.watcher.await(id, s -> s.instances().get(0).status() != InstanceStatus.PENDING)
                            .orTimeout(120, TimeUnit.SECONDS)
                            .whenComplete((at, error) -> {
                                var s = ctx.watcher.latest(id);
                                if (error == null && s != null
                                        && s.instances().get(0).status() == InstanceStatus.RUNNING) {
                                    ids[index] = id;
                                    running.incrementAndGet();
                                } else {
                                    failed.incrementAndGet();
                                }
                                inFlight.release();
                                all.countDown();
                            });
                } catch (Exception e) {
                    failed.incrementAndGet();
                    inFlight.release();
                    all.countDown();
                }
            });
        }
        all.await();
        pool.shutdown();
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            if (id != null) {
                out.add(id);
            }
        }
        ctx.progress.say(String.format("(7) %d invocations Running on the fleet, %d failed", out.size(), failed.get()));
        return out;
    }

    /** StopInvocation of each of {@code ids} at {@link #STOP_RATE}/s (open loop); by id, the futures of their Terminated. */
    private Map<String, CompletableFuture<Long>> stops(Fleet fleet, List<String> ids, Latency e2e, Latency arrived,
            Latency apiSeen, AtomicInteger errors) throws InterruptedException {
        Map<String, CompletableFuture<Long>> terminal = new java.util.concurrent.ConcurrentHashMap<>();
        ThreadPoolExecutor pool = OpenLoop.pool("bench-fleet-stop", 64);
        ExecutorService samplers = OpenLoop.pool("bench-fleet-api", 2);
        long t0 = System.nanoTime() + 100_000_000L;
        OpenLoop.run(STOP_RATE, t0, ids.size(), pool, (k, due) -> {
            String id = ids.get(k);
            CompletableFuture<Long> done = ctx.watcher.await(id, BenchContext::firstTerminal);
            terminal.put(id, done);
            try {
                RpcClient.Response r = ctx.stop(id);
                if (!r.ok()) {
                    errors.incrementAndGet();
                    done.cancel(false);
                    return;
                }
                if (e2e != null) {
                    done.thenAccept(at -> {
                        e2e.recordNanos(at - due);
                        Long came = fleet.stopArrived.get(id);
                        if (came != null) {
                            arrived.recordNanos(came - due);
                        }
                    });
                    if (k % ctx.config.apiSampleEvery() == 0) {
                        samplers.execute(() -> E2eStopBench.followThroughApi(ctx, id, due, done, apiSeen, null));
                    }
                }
            } catch (Exception e) {
                errors.incrementAndGet();
                done.cancel(false);
            }
        }, () -> true);
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        samplers.shutdown();
        samplers.awaitTermination(60, TimeUnit.SECONDS);
        return terminal;
    }

    /** How many of {@code terminal} did not complete within {@code seconds} (cancelled ones, refused stops, aside). */
    private static int unfinished(java.util.Collection<CompletableFuture<Long>> terminal, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        int lost = 0;
        for (CompletableFuture<Long> f : terminal.toArray(CompletableFuture[]::new)) {
            try {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                if (!f.isCancelled()) {
                    lost++;
                }
            }
        }
        return lost;
    }

    /**
     * SIGKILL the gateway with every agent connected, start it again at once, and meanwhile issue a stop for each of
     * {@code ids} at {@link #STOP_RATE}/s: they wait on instance-commands for the gateway to come back and hand them
     * to their agents in the welcome batch. Done when every agent is welcomed again and every stop has landed.
     */
    private Reconnect reconnect(Fleet fleet, List<String> ids, AtomicInteger errors) throws Exception {
        int n = fleet.size();
        ctx.progress.phase(String.format("(7) fleet: gateway SIGKILL and restart, %d stops meanwhile", ids.size()),
                () -> String.format("%,d of %,d connected, %,d welcomes, %,d losses", fleet.connected(), n,
                        fleet.welcomes.sum(), fleet.losses.sum()));
        long killed = System.nanoTime();
        parts.kill(GATEWAY, true);
        long restarted = System.nanoTime();
        Process start = parts.start(GATEWAY, Map.of());
        CompletableFuture<Long> healthy = CompletableFuture.supplyAsync(() -> {
            try {
                return parts.awaitStarted(start, GATEWAY);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Map<String, CompletableFuture<Long>> terminal = stops(fleet, ids, null, null, null, errors);
        long deadline = System.nanoTime() + 600_000_000_000L;
        long allBack = 0;
        while (System.nanoTime() < deadline) {
            if (fleet.connected() >= n && terminal.values().stream().allMatch(CompletableFuture::isDone)) {
                allBack = System.nanoTime();
                break;
            }
            Thread.sleep(10);
        }
        long healthyAt;
        try {
            healthyAt = healthy.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            healthyAt = 0;
        }
        unfinished(terminal.values(), 1);
        int landed = 0;
        int lost = 0;
        int away = 0;
        for (Map.Entry<String, CompletableFuture<Long>> e : terminal.entrySet()) {
            CompletableFuture<Long> f = e.getValue();
            if (f.isDone() && !f.isCompletedExceptionally()) {
                landed++;
            } else if (!f.isCancelled()) {
                Fleet.Agent agent = agentOf.get(e.getKey());
                if (agent != null && agent.connected()) {
                    lost++;
                } else {
                    away++;
                }
            }
        }
        Reconnect r = new Reconnect(allBack == 0 ? Double.NaN : (allBack - restarted) / 1e9,
                allBack == 0 ? Double.NaN : (allBack - killed) / 1e9,
                healthyAt == 0 ? Double.NaN : (healthyAt - restarted) / 1e9, terminal.size(), landed, lost, away,
                fleet.connected());
        ctx.progress.say(String.format("(7) after the gateway's SIGKILL: all %,d agents connected again and all %d stops"
                + " issued meanwhile landed %.1f s after the restart began (%.1f s after the kill; gateway healthy"
                + " after %.1f s); %d lost, %d for agents not back", n, r.stops(), r.fromRestartSeconds(),
                r.fromKillSeconds(), r.gatewayHealthySeconds(), lost, away));
        return r;
    }

    /** Counted with {@code ss}: established TCP connections whose peer is the broker's port, and the gateway's. */
    KafkaClients kafkaClients() {
        String port = ctx.config.bootstrap().substring(ctx.config.bootstrap().lastIndexOf(':') + 1);
        try {
            Process p = new ProcessBuilder("ss", "-tnpH", "state", "established", "( dport = :" + port + " )")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            String gatewayPid = "pid=" + parts.pid(GATEWAY) + ",";
            return count(out, gatewayPid);
        } catch (Exception e) {
            return new KafkaClients(-1, -1);
        }
    }

    static KafkaClients count(String ssOutput, String pidMark) {
        int total = 0;
        int ofPid = 0;
        for (String line : ssOutput.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            total++;
            if (line.contains(pidMark)) {
                ofPid++;
            }
        }
        return new KafkaClients(total, ofPid);
    }
}
