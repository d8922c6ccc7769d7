package io.stopplane.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * The load of one run, through the HTTP API only: a few workers each issue RunCommand after RunCommand (short commands
 * left to finish, long ones stopped a moment later), and a reader keeps asking DescribeInvocations. A request whose
 * outcome is unknown is retried, a run with its ClientToken, a stop as it is (a stop is idempotent), until
 * the retry deadline: what a careful client does. Nothing here waits past {@link Rpc#CLIENT_BOUND}.
 */
final class Load {

    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Rpc rpc;
    private final Settings settings;
    private final String runName;
    private final String nonce;
    private final Path ranFile;
    private final List<String> instances;
    private final List<Tracked> all = new CopyOnWriteArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();
    private final ScheduledExecutorService stops = Executors.newScheduledThreadPool(2, daemon("chaos-stops"));
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger pendingStops = new AtomicInteger();
    private volatile boolean generating = true;
    private volatile boolean reading = true;
    private volatile long retryDeadline = Long.MAX_VALUE;

    Load(Rpc rpc, Settings settings, String runName, String nonce, Path ranFile, List<String> instances) {
        this.rpc = rpc;
        this.settings = settings;
        this.runName = runName;
        this.nonce = nonce;
        this.ranFile = ranFile;
        this.instances = List.copyOf(instances);
    }

    void start() {
        for (int w = 0; w < settings.workers(); w++) {
            Thread t = new Thread(this::work, "chaos-worker-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        Thread reader = new Thread(this::read, "chaos-reader");
        reader.setDaemon(true);
        threads.add(reader);
        reader.start();
    }

    List<Tracked> all() {
        return List.copyOf(all);
    }

    /** No new invocations from here on; retries of what was asked go on until {@code retryFor} has passed. */
    void stopGenerating(Duration retryFor) {
        retryDeadline = System.nanoTime() + retryFor.toNanos();
        generating = false;
    }

    /** Everything stops now, retries included (the run broke off). */
    void abort() {
        retryDeadline = System.nanoTime();
        generating = false;
        reading = false;
        stops.shutdownNow();
        pendingStops.set(0);
    }

    /**
     * Waits until every run was answered (or given up at the retry deadline) and every wanted stop was accepted (or
     * given up), then stops the reader.
     */
    void awaitSettled() throws InterruptedException {
        for (Thread t : threads) {
            if (!t.getName().equals("chaos-reader")) {
                t.join();
            }
        }
        while (pendingStops.get() > 0) {
            Thread.sleep(100);
        }
        reading = false;
        stops.shutdown();
        stops.awaitTermination(Rpc.CLIENT_BOUND.toSeconds() * 2, TimeUnit.SECONDS);
    }

    /** A long invocation the fault stops itself at a moment it chooses: created now, returned once it runs. */
    Tracked hold(List<String> targets, Duration runningWithin) throws InterruptedException {
        Tracked t = newTracked(Tracked.Kind.LONG, targets, true);
        if (!run(t)) {
            throw new IllegalStateException("could not start a held invocation: " + t.runRejected);
        }
        long deadline = System.nanoTime() + runningWithin.toNanos();
        while (System.nanoTime() < deadline) {
            Rpc.Answer a = rpc.call("DescribeInvocations", "InvokeId", t.invokeId);
            if (a.ok() && "Running".equals(invocation(a.body(), "InvocationStatus"))) {
                return t;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("held invocation " + t.invokeId + " not Running within " + runningWithin);
    }

    /** Sends the stop of an invocation until it is accepted, in the background, after {@code delay}. */
    void stopLater(Tracked t, Duration delay) {
        t.stopWanted = true;
        pendingStops.incrementAndGet();
        stops.schedule(() -> attemptStop(t), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One StopInvocation, now, on this thread; retried in the background if its outcome is unknown. */
    Rpc.Answer stopNow(Tracked t) {
        t.stopWanted = true;
        Rpc.Answer a = rpc.call("StopInvocation", "InvokeId", t.invokeId);
        if (a.ok()) {
            t.stopAccepted = true;
        } else {
            pendingStops.incrementAndGet();
            stops.schedule(() -> attemptStop(t), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
        return a;
    }

    /**
     * StopInvocation of {@code t} sent every {@code every} (or as soon as the previous one was answered, if that took
     * longer) on this thread, until one is answered 200 or {@code within} has passed; returns the answers in order. A
     * stop still not accepted then is left to the background retries, as any other.
     */
    List<Rpc.Answer> probeStop(Tracked t, Duration every, Duration within) throws InterruptedException {
        t.stopWanted = true;
        List<Rpc.Answer> answers = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            long sent = System.nanoTime();
            Rpc.Answer a = rpc.call("StopInvocation", "InvokeId", t.invokeId);
            answers.add(a);
            if (a.ok()) {
                t.stopAccepted = true;
                return answers;
            }
            if (System.nanoTime() > deadline) {
                pendingStops.incrementAndGet();
                stops.schedule(() -> attemptStop(t), RETRY.toMillis(), TimeUnit.MILLISECONDS);
                return answers;
            }
            long left = sent + every.toNanos() - System.nanoTime();
            if (left > 0) {
                Thread.sleep(left / 1_000_000);
            }
        }
    }

    private void attemptStop(Tracked t) {
        Rpc.Answer a = rpc.call("StopInvocation", "InvokeId", t.invokeId);
        if (a.ok()) {
            t.stopAccepted = true;
            pendingStops.decrementAndGet();
        } else if (System.nanoTime() > retryDeadline) {
            t.stopGaveUp = true;
            pendingStops.decrementAndGet();
        } else {
            // 5xx or no answer: the stop may or may not be queued; sending it again is harmless
            stops.schedule(() -> attemptStop(t), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void work() {
        Random random = ThreadLocalRandom.current();
        while (generating) {
            Tracked.Kind kind = random.nextBoolean() ? Tracked.Kind.LONG : Tracked.Kind.SHORT;
            List<String> targets = new ArrayList<>(instances);
            java.util.Collections.shuffle(targets, random);
            Tracked t = newTracked(kind, targets.subList(0, 1 + random.nextInt(Math.min(2, targets.size()))), false);
            if (run(t) && kind == Tracked.Kind.LONG) {
                stopLater(t, Duration.ofMillis(300 + random.nextInt(2200)));
            }
            sleep(settings.pace());
        }
    }

    private void read() {
        Random random = ThreadLocalRandom.current();
        while (reading) {
            List<Tracked> known = all.stream().filter(t -> t.invokeId != null).toList();
            if (!known.isEmpty()) {
                rpc.call("DescribeInvocations", "InvokeId", known.get(random.nextInt(known.size())).invokeId);
            }
            sleep(Duration.ofMillis(300));
        }
    }

    private Tracked newTracked(Tracked.Kind kind, List<String> targets, boolean held) {
        int n = seq.incrementAndGet();
        Tracked t = new Tracked(runName + "-" + n, kind, targets, held, nonce + String.format("%05d", n));
        all.add(t);
        return t;
    }

    /** RunCommand until answered 200 (same ClientToken on every retry) or refused with a 4xx. */
    private boolean run(Tracked t) {
        List<String> params = new ArrayList<>(List.of("Type", "RunShellScript", "Name", runName, "Description",
                t.token, "ClientToken", t.token, "Timeout", "600",
                "CommandContent", t.script(ranFile, ThreadLocalRandom.current().nextBoolean())));
        for (int i = 0; i < t.instances.size(); i++) {
            params.add("InstanceId." + (i + 1));
            params.add(t.instances.get(i));
        }
        String[] args = params.toArray(String[]::new);
        // the same script on every retry: the token's parameters must not change
        while (true) {
            Rpc.Answer a = rpc.call("RunCommand", args);
            if (a.ok()) {
                t.invokeId = a.body().get("InvokeId").asString();
                t.runAccepted = true;
                return true;
            }
            if (!a.unknown() && !"ServiceUnavailable".equals(a.code())) {
                t.runRejected = a.code();
                return false;
            }
            if (System.nanoTime() > retryDeadline) {
                t.runGaveUp = true;
                return false;
            }
            sleep(RETRY);
        }
    }

    static String invocation(JsonNode body, String field) {
        JsonNode list = body == null ? null : body.path("Invocations").path("Invocation");
        if (list == null || !list.isArray() || list.isEmpty()) {
            return null;
        }
        JsonNode v = list.get(0).get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
