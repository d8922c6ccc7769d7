package io.stopplane.chaos;

import io.stopplane.stack.ProcScan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * One run of one fault: a fresh stack, the load through the HTTP API, the fault injected and healed, then the
 * verdict: every request's answer, every invocation's final state, the marker file of what ran, the processes left,
 * and {@code audit verify}.
 */
final class ChaosRun {

    private static final Set<String> FINAL_INVOCATION = Set.of("Success", "Failed", "PartialFailed", "Stopped");
    private static final Set<String> STOPPED_INSTANCE = Set.of("Terminated", "Cancelled");

    private final Stack stack;
    private final Settings settings;
    private final Path runDir;
    private final Consumer<String> log;

    ChaosRun(Stack stack, Settings settings, Path runDir, Consumer<String> log) {
        this.stack = stack;
        this.settings = settings;
        this.runDir = runDir;
        this.log = log;
    }

    /** What a fault may do while the load runs. */
    final class Context {

        private final Load load;
        private final Rpc rpc;
        private final String nonce;
        private final List<RunResult.Check> checks = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        /** Parts the fault killed and meant to leave dead. */
        private final Set<String> leftDead = new java.util.HashSet<>();
        private final CutOffs cutOffs = new CutOffs();

        private Context(Load load, Rpc rpc, String nonce) {
            this.load = load;
            this.rpc = rpc;
            this.nonce = nonce;
        }

        Settings settings() {
            return settings;
        }

        Load load() {
            return load;
        }

        /** The run's client: what it sends is counted with the load's requests. */
        Rpc rpc() {
            return rpc;
        }

        Stack stack() {
            return stack;
        }

        String anyInstance() {
            List<String> all = stack.instances();
            return all.get(ThreadLocalRandom.current().nextInt(all.size()));
        }

        void kill(String part) throws Exception {
            log.accept("SIGKILL " + part);
            stack.kill(part);
            leftDead.add(part);
        }

        void start(String part) throws Exception {
            leftDead.remove(part);
            long t = System.nanoTime();
            log.accept("starting " + part + " again");
            stack.start(part);
            log.accept(String.format("%s healthy again after %.1f s", part, (System.nanoTime() - t) / 1e9));
        }

        /** The agent could not be given commands from {@code from} until now (it is connected again). */
        void agentCutOffSince(Instant from) {
            cutOffs.add(from, Instant.now());
        }

        void check(String name, boolean ok, String detail) {
            checks.add(new RunResult.Check(name, ok, detail));
            log.accept((ok ? "ok: " : "FAILED: ") + name + " (" + detail + ")");
        }

        void note(String format, Object... args) {
            String n = String.format(format, args);
            notes.add(n);
            log.accept(n);
        }

        /** Processes of this run's commands alive now. */
        int runningCommands() {
            return ProcScan.withCommandLine("." + nonce).size();
        }

        /** Polls a service's health until it has the wanted status; returns the last body seen (null: no answer). */
        JsonNode awaitHealth(String part, String wanted, Duration within) throws InterruptedException {
            Integer port = stack.servicePorts().get(part);
            long deadline = System.nanoTime() + within.toNanos();
            JsonNode last = null;
            while (true) {
                last = rpc.health(port);
                if (wanted.equals(Rpc.status(last)) || System.nanoTime() > deadline) {
                    return last;
                }
                Thread.sleep(250);
            }
        }

        void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d.toMillis());
        }

        void sleepUntil(long startNanos, Duration after) throws InterruptedException {
            long left = startNanos + after.toNanos() - System.nanoTime();
            if (left > 0) {
                Thread.sleep(left / 1_000_000);
            }
        }
    }

    RunResult run(Fault fault) throws IOException {
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long t0 = System.nanoTime();
        String nonce = String.valueOf(ThreadLocalRandom.current().nextInt(100_000, 1_000_000));
        String runName = "chaos-" + fault.id() + "-" + nonce;
        Files.createDirectories(runDir);
        Path ranFile = runDir.resolve("ran.txt");
        Files.writeString(ranFile, "");
        Tally tally = new Tally();
        List<String> problems = new ArrayList<>();
        Context context = null;
        Load load = null;
        Verdict verdict = new Verdict();
        Stack.Verified audit = new Stack.Verified(false, "not run");
        List<String> leftAfterDown = List.of();
        Tally.Snapshot snapshot;
        double loadAtFault = Host.loadAverage(); // until the fault comes
        Host.StallWatch stalls = new Host.StallWatch();
        try {
            log.accept("starting the stack (" + fault.shape() + ")");
            stack.up(fault.shape(), runDir);
            Rpc rpc = new Rpc(stack.apiBase(), tally);
            Rpc quiet = new Rpc(stack.apiBase(), null);
            awaitOnline(quiet);
            String host = Host.describe();
            load = new Load(rpc, settings, runName, nonce, ranFile, stack.instances());
            context = new Context(load, rpc, nonce);
            context.note("host at start: %s", host);
            log.accept("load running (" + settings.workers() + " clients), " + fault.title());
            load.start();
            Thread.sleep(settings.warmUp().toMillis());
            loadAtFault = Host.loadAverage();
            fault.injector().inject(context);
            Thread.sleep(settings.afterHeal().toMillis());
            log.accept("load stops; clients retry what is unanswered for up to " + settings.retryFor().toSeconds()
                    + " s");
            load.stopGenerating(settings.retryFor());
            load.awaitSettled();
            log.accept("waiting for every invocation to reach its final state");
            Map<String, List<JsonNode>> rows = converge(quiet, runName, load.all());
            verdict = judge(load.all(), rows, ranFile, nonce, context.cutOffs, problems);
            if (verdict.abortedWhileCutOff > 0) {
                context.note("%d run target(s) Aborted/DeliveryTimeout, never started: their delivery deadline (%d s) "
                        + "passed while the agent was cut off", verdict.abortedWhileCutOff,
                        CutOffs.DELIVERY_TIMEOUT.toSeconds());
            }
            context.note("host at the end: %s", Host.describe());
            for (Map.Entry<String, Integer> s : stack.servicePorts().entrySet()) {
                if (context.leftDead.contains(s.getKey())) {
                    continue; // killed for good: the fault's point
                }
                JsonNode h = context.awaitHealth(s.getKey(), "UP", Duration.ofSeconds(60));
                context.check(s.getKey() + " healthy after healing", "UP".equals(Rpc.status(h)),
                        "status " + Rpc.status(h));
            }
            log.accept("audit verify");
            audit = stack.verify();
            log.accept("audit verify: " + audit.summary());
        } catch (Exception e) {
            problems.add("the run broke off: " + e);
            log.accept("the run broke off: " + e);
            if (load != null) {
                load.abort();
            }
        } finally {
            snapshot = tally.snapshot(); // what the clients saw, not what they would see once the stack is down
            stalls.close();
            if (context != null) {
                context.note("%s", stalls.summary());
            }
            log.accept("stopping the stack");
            stack.down();
            leftAfterDown = stack.leftovers();
            leftAfterDown.forEach(p -> problems.add("alive after down: " + p));
        }
        Tally.Snapshot s = snapshot;
        List<RunResult.Check> checks = context == null ? List.of() : context.checks;
        List<String> notes = context == null ? List.of() : context.notes;
        RunResult draft = new RunResult(fault.id(), fault.title(), settings.describe(loadAtFault), started.toString(),
                Math.round((System.nanoTime() - t0) / 1e9), stack.description(), s.sent(), s.ok(), s.clientErrors(),
                s.clientErrorCodes(), s.serverErrors(), s.serverErrorCodes(), s.max5xxMillis(), s.maxStopMillis(),
                s.noAnswer(), s.hangs(), verdict.invocations, verdict.stopsAccepted, verdict.stopsLanded,
                verdict.wrong, verdict.ranTwice, verdict.alive, audit.ok(), audit.summary(), checks, notes, problems,
                false);
        List<String> failures = new ArrayList<>(RunResult.failures(draft, fault.apiOutage(), leftAfterDown.size()));
        if (load == null || problems.stream().anyMatch(p -> p.startsWith("the run broke off"))) {
            failures.add("the run did not complete");
        }
        List<String> all = new ArrayList<>(failures);
        problems.stream().filter(p -> !all.contains(p)).forEach(all::add);
        RunResult result = new RunResult(draft.fault(), draft.title(), draft.mode(), draft.startedAt(), draft.seconds(),
                draft.stack(), draft.requests(), draft.answered200(), draft.answered4xx(), draft.codes4xx(),
                draft.answered5xx(), draft.codes5xx(), draft.max5xxMillis(), draft.maxStopMillis(), draft.noAnswer(),
                draft.hangs(), draft.invocations(), draft.stopsAccepted(), draft.stopsLanded(), draft.wrongState(),
                draft.ranTwice(), draft.aliveAfterStop(), draft.auditOk(), draft.audit(), checks, notes, all,
                failures.isEmpty());
        Files.writeString(runDir.resolve("result.json"), Rpc.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(result), StandardCharsets.UTF_8);
        return result;
    }

    private void awaitOnline(Rpc rpc) throws InterruptedException {
        List<String> instances = stack.instances();
        String[] params = new String[instances.size() * 2];
        for (int i = 0; i < instances.size(); i++) {
            params[2 * i] = "InstanceId." + (i + 1);
            params[2 * i + 1] = instances.get(i);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            Rpc.Answer a = rpc.call("DescribeCloudAssistantStatus", params);
            if (a.ok()) {
                int online = 0;
                for (JsonNode s : a.body().path("InstanceCloudAssistantStatusSet").path("InstanceCloudAssistantStatus")) {
                    if ("true".equals(s.path("CloudAssistantStatus").asString())) {
                        online++;
                    }
                }
                if (online == instances.size()) {
                    return;
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the agent's instances did not come online: " + instances);
    }

    /** Lists the run's invocations until each is final (or the time is up); by ClientToken (their Description). */
    private Map<String, List<JsonNode>> converge(Rpc rpc, String runName, List<Tracked> tracked)
            throws InterruptedException {
        long deadline = System.nanoTime() + settings.converge().toNanos();
        Map<String, List<JsonNode>> rows = Map.of();
        while (true) {
            Map<String, List<JsonNode>> listed = list(rpc, runName);
            if (listed != null) {
                rows = listed;
                Map<String, List<JsonNode>> seen = rows;
                long open = tracked.stream().filter(t -> t.runAccepted && !seen.containsKey(t.token)).count()
                        + rows.values().stream().flatMap(List::stream)
                                .filter(r -> !FINAL_INVOCATION.contains(r.path("InvocationStatus").asString()))
                                .count();
                if (open == 0) {
                    return rows;
                }
                if (System.nanoTime() > deadline) {
                    log.accept(open + " invocation(s) still not final after " + settings.converge().toSeconds() + " s");
                    return rows;
                }
            } else if (System.nanoTime() > deadline) {
                return rows;
            }
            Thread.sleep(1000);
        }
    }

    private static Map<String, List<JsonNode>> list(Rpc rpc, String runName) {
        Map<String, List<JsonNode>> byToken = new LinkedHashMap<>();
        String next = null;
        do {
            Rpc.Answer a = next == null
                    ? rpc.call("DescribeInvocations", "CommandName", runName, "MaxResults", "50")
                    : rpc.call("DescribeInvocations", "CommandName", runName, "MaxResults", "50", "NextToken", next);
            if (!a.ok()) {
                return null;
            }
            for (JsonNode row : a.body().path("Invocations").path("Invocation")) {
                byToken.computeIfAbsent(row.path("CommandDescription").asString(), k -> new ArrayList<>()).add(row);
            }
            next = a.body().path("NextToken").asString("");
        } while (!next.isEmpty());
        return byToken;
    }

    /** What the final states, the marker file and the process table say about one run. */
    static final class Verdict {
        int invocations;
        int stopsAccepted;
        int stopsLanded;
        int wrong;
        int ranTwice;
        int alive;
        /** SHORT targets excused: never started, Aborted/DeliveryTimeout while the agent was cut off. */
        int abortedWhileCutOff;
    }

    static Verdict judge(List<Tracked> tracked, Map<String, List<JsonNode>> rows, Path ranFile, String nonce,
            CutOffs cutOffs, List<String> problems) throws IOException, InterruptedException {
        Verdict v = new Verdict();
        // what ran: "<token> <invoke id> <instance id>", one line per start of a command
        Map<String, Integer> starts = new HashMap<>();
        Map<String, String> startedUnder = new HashMap<>();
        for (String line : Files.readAllLines(ranFile, StandardCharsets.UTF_8)) {
            String[] f = line.strip().split(" ");
            if (f.length == 3) {
                starts.merge(f[0] + " " + f[2], 1, Integer::sum);
                startedUnder.put(f[0] + " " + f[2], f[1]);
            } else if (!line.isBlank()) {
                problems.add("unreadable marker line: " + line);
            }
        }
        for (Map.Entry<String, Integer> e : starts.entrySet()) {
            if (e.getValue() > 1) {
                v.ranTwice++;
                problems.add("started " + e.getValue() + " times: " + e.getKey());
            }
        }
        for (Tracked t : tracked) {
            List<JsonNode> found = rows.getOrDefault(t.token, List.of());
            if (found.isEmpty()) {
                if (t.runAccepted) {
                    v.wrong++;
                    problems.add(t.token + " " + t.invokeId + ": accepted, then not found");
                } else {
                    problems.add(t.token + ": never created (" + (t.runRejected != null ? t.runRejected
                            : "no answer until the clients gave up") + ")");
                }
                continue;
            }
            v.invocations += found.size();
            if (found.size() > 1) {
                v.wrong += found.size() - 1;
                problems.add(t.token + ": " + found.size() + " invocations for one ClientToken");
            }
            JsonNode row = found.get(0);
            String invokeId = row.path("InvokeId").asString();
            if (!t.runAccepted) {
                v.wrong++;
                problems.add(t.token + " " + invokeId + ": created, but the client never heard so");
            }
            String status = row.path("InvocationStatus").asString();
            List<String> instanceStates = new ArrayList<>();
            boolean allStopped = true;
            boolean allSucceeded = true;
            boolean startedWhenCancelled = false;
            int excused = 0;
            boolean cutOffAtDeadline = row.hasNonNull("CreationTime")
                    && cutOffs.deadlinePassedWhileCutOff(Instant.parse(row.get("CreationTime").asString()));
            for (JsonNode i : row.path("InvokeInstances").path("InvokeInstance")) {
                String instance = i.path("InstanceId").asString();
                String s = i.path("InvocationStatus").asString();
                instanceStates.add(instance + "=" + s + (i.hasNonNull("ExitCode") ? "/" + i.get("ExitCode").asInt()
                        : "") + (i.hasNonNull("ErrorCode") && !i.get("ErrorCode").asString().isEmpty()
                        ? "/" + i.get("ErrorCode").asString() : ""));
                allStopped &= STOPPED_INSTANCE.contains(s);
                String key = t.token + " " + instance;
                boolean undelivered = "Aborted".equals(s) && "DeliveryTimeout".equals(i.path("ErrorCode").asString())
                        && !starts.containsKey(key) && cutOffAtDeadline;
                if (undelivered) {
                    excused++;
                }
                allSucceeded &= "Success".equals(s) || undelivered;
                if ("Cancelled".equals(s) && starts.containsKey(key)) {
                    startedWhenCancelled = true;
                }
                if ("Success".equals(s) && !starts.containsKey(key)) {
                    problems.add(t.token + " " + invokeId + ": " + instance + " Success but never started");
                    allSucceeded = false;
                }
                String under = startedUnder.get(key);
                if (under != null && !under.equals(invokeId)) {
                    problems.add(t.token + ": " + instance + " started under " + under + ", not " + invokeId);
                }
            }
            boolean right = t.kind == Tracked.Kind.SHORT
                    ? allSucceeded && ("Success".equals(status) || excused > 0
                            && Set.of("Failed", "PartialFailed").contains(status))
                    : "Stopped".equals(status) && allStopped && !startedWhenCancelled;
            if (right) {
                v.abortedWhileCutOff += excused;
            } else {
                v.wrong++;
                problems.add(t.token + " " + invokeId + " (" + t.kind + (t.stopAccepted ? ", stop accepted" : "")
                        + "): " + status + " " + instanceStates + (startedWhenCancelled ? ", started although Cancelled"
                        : ""));
            }
            if (t.stopAccepted) {
                v.stopsAccepted++;
                if ("Stopped".equals(status) && allStopped && !startedWhenCancelled) {
                    v.stopsLanded++;
                }
            } else if (t.kind == Tracked.Kind.LONG) {
                problems.add(t.token + " " + invokeId + ": its stop was never accepted");
            }
        }
        // the stops reported Terminated once the processes were gone: give a reaper a moment, no more
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        // every sleep of the run, and every shell or wrapper holding its script, has ".<nonce>" on its command line
        List<String> alive = ProcScan.withCommandLine("." + nonce);
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            alive = ProcScan.withCommandLine("." + nonce);
        }
        v.alive = alive.size();
        alive.forEach(p -> problems.add("alive at the end: " + p));
        return v;
    }
}
