package io.stopplane.agent.process;

import io.stopplane.agent.AgentProperties;
import io.stopplane.agent.report.StatusReporter;
import io.stopplane.agent.report.TaskReports;
import io.stopplane.agent.task.FileTaskJournal;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.json.StopPlaneJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code bin/stopplane bench --phase kill-path}: the agent's supervisor alone, with real processes, its real journal and
 * no broker (reports are acknowledged at once). Rounds of {@code --batch} commands are started, all running, and then
 * stopped at once in poll-sized journal batches, as the intake does; what the agent's JVM spent from the first stop to
 * the last task's files removed ({@code utime + stime} of {@code /proc/self/stat}, JIT and GC included) divided by the
 * stops is {@code kill_path_agent_cpu_ms_per_stop}; what the wrappers and everything they reaped spent
 * ({@code cutime + cstime}) is reported beside it. The first round warms up and is not counted. Uses only the
 * supervisor's public API, so the same runner measures an older agent.
 */
public final class KillPathBench {

    private static final int POLL_BATCH = 50;
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final long TICKS_PER_SECOND = 100; // USER_HZ: /proc/<pid>/stat's unit on every Linux

    private final Set<TaskKey> finished = ConcurrentHashMap.newKeySet();

    private KillPathBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = null;
        String commit = "unknown";
        int batch = 200;
        int rounds = 6;
        String killMethod = "auto";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--kill-method" -> killMethod = args[++i];
                case "--commit" -> commit = args[++i];
                case "--quick" -> rounds = 3;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--out DIR [--batch N] [--rounds N] [--quick] [--kill-method auto|cgroup|process-group]"
                        + " [--commit ID])");
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required");
        }
        String loadAtStart = loadAverage();
        Instant startedAt = Instant.now();
        Map<String, Object> result = new KillPathBench().run(batch, rounds, killMethod);
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) result.get("kill_path");
        detail.put("date", startedAt.toString());
        detail.put("commit", commit);
        detail.put("cores", Runtime.getRuntime().availableProcessors());
        detail.put("load_average", Map.of("start", loadAtStart, "end", loadAverage()));
        Files.createDirectories(out);
        merge(out.resolve("results.json"), result);
        Files.writeString(out.resolve("kill-path.md"), note(result));
        System.out.println(StopPlaneJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.exit(0);
    }

    private Map<String, Object> run(int batch, int rounds, String killMethod) throws Exception {
        Path state = Files.createTempDirectory("stopplane-kill-path");
        List<InstanceId> instances = IntStream.rangeClosed(1, 20).mapToObj(i -> InstanceId.of(String.format("i-kp%04d", i)))
                .toList();
        AgentProperties props = new AgentProperties(state, Duration.ofSeconds(10), Duration.ofSeconds(3),
                Duration.ofSeconds(60), Duration.ofDays(8));
        FileTaskJournal journal = new FileTaskJournal(props.journalDir(), instances, props.journalRetention(),
                Clock.systemUTC());
        StatusReporter reporter = (key, outcome) -> {
            if (outcome.status().isTerminal()) {
                finished.add(key);
            }
            return CompletableFuture.completedFuture(null);
        };
        TaskReports reports = new TaskReports(reporter, journal);
        ProcessControl control = ProcessControl.of(killMethod);
        ProcessSupervisor supervisor = new ProcessSupervisor(props, reports, journal, control);
        long stops = 0;
        double seconds = 0;
        long selfTicks = 0;
        long childTicks = 0;
        long flushes = 0;
        Map<String, Long> byThread = new java.util.TreeMap<>();
        try {
            for (int round = 0; round < rounds; round++) {
                List<TaskKey> keys = startAll(supervisor, journal, instances, batch);
                await(() -> supervisor.runningCount() == keys.size(), "all " + keys.size() + " commands running");
                long[] before = cpuTicks();
                long flushesBefore = journal.flushes();
                Map<String, Long> threadsBefore = threadTicks();
                long t0 = System.nanoTime();
                for (int from = 0; from < keys.size(); from += POLL_BATCH) {
                    List<TaskKey> poll = keys.subList(from, Math.min(keys.size(), from + POLL_BATCH));
                    journal.batch(() -> poll.forEach(supervisor::stop));
                }
                await(() -> finished.containsAll(keys), "every stop reported");
                double elapsed = (System.nanoTime() - t0) / 1e9;
                await(() -> taskDirsLeft(props) == 0, "every task's files removed");
                long[] after = cpuTicks();
                Map<String, Long> threadsAfter = threadTicks();
                if (round > 0) {
                    threadsAfter.forEach((name, ticks) -> byThread.merge(name,
                            ticks - threadsBefore.getOrDefault(name, 0L), Long::sum));
                    stops += keys.size();
                    seconds += elapsed;
                    selfTicks += after[0] - before[0];
                    childTicks += after[1] - before[1];
                    flushes += journal.flushes() - flushesBefore;
                }
                System.err.printf("round %d: %d stops in %.2f s, agent %d ticks, wrappers %d ticks%s%n", round,
                        keys.size(), elapsed, after[0] - before[0], after[1] - before[1],
                        round == 0 ? " (warm-up, not counted)" : "");
            }
        } finally {
            supervisor.destroy();
            reports.destroy();
            journal.destroy();
            FileSystemUtils.deleteRecursively(state);
        }
        long finalStops = stops;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kill_path_agent_cpu_ms_per_stop", round3(selfTicks * 1000.0 / TICKS_PER_SECOND / stops));
        r.put("kill_path_stops_per_s", round3(stops / seconds));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("kill_method", control.killMethod().wireName());
        detail.put("stops_counted", stops);
        detail.put("commands_running_per_round", batch);
        detail.put("wrapper_cpu_ms_per_stop", round3(childTicks * 1000.0 / TICKS_PER_SECOND / stops));
        detail.put("journal_fdatasyncs_per_stop", round3((double) flushes / stops));
        detail.put("measured", "utime+stime of the agent JVM (/proc/self/stat) from the first stop to the last task's"
                + " files removed; wrappers: cutime+cstime (what the JVM reaped); real processes (sh -c 'sleep 1000'),"
                + " the real journal, reports acknowledged at once, stops in journal batches of " + POLL_BATCH);
        Map<String, Object> threads = new LinkedHashMap<>();
        byThread.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> threads.put(e.getKey(), round3(e.getValue() * 1000.0 / TICKS_PER_SECOND / finalStops)));
        detail.put("agent_cpu_ms_per_stop_by_thread", threads);
        r.put("kill_path", detail);
        return r;
    }

    private static List<TaskKey> startAll(ProcessSupervisor supervisor, FileTaskJournal journal,
            List<InstanceId> instances, int count) {
        List<TaskKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RunCommand run = new RunCommand(UUID.randomUUID().toString(), InvokeId.random(),
                    instances.get(i % instances.size()), Instant.now(), new CommandSpec(CommandId.random(), "kill-path",
                            null, CommandSpec.RUN_SHELL_SCRIPT, "sleep 1000", 600, null, null, null));
            TaskKey key = TaskKey.of(run);
            journal.admit(key);
            supervisor.start(run);
            keys.add(key);
        }
        return keys;
    }

    private static long taskDirsLeft(AgentProperties props) {
        try (var instances = Files.list(props.journalDir())) {
            return instances.filter(Files::isDirectory).mapToLong(dir -> {
                try (var tasks = Files.list(dir)) {
                    return tasks.count();
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** utime + stime, cutime + cstime of this JVM, in clock ticks. */
    private static long[] cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the command name: state(0) ... utime(11) stime(12) cutime(13) cstime(14)
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
    }

    /**
     * The JVM's threads' utime + stime by name, numbers dropped ({@code agent-task-3} counts as {@code agent-task-}):
     * which part of the agent spends what. Threads that ended meanwhile are not seen.
     */
    private static Map<String, Long> threadTicks() {
        Map<String, Long> ticks = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+$", "");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // ended meanwhile
                }
            });
        } catch (IOException e) {
            return ticks;
        }
        return ticks;
    }

    // A bench's wait for its own set-up and results: nothing here is a test.
    private static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + WAIT + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** The run's note, written from its figures (never typed in by hand). */
    @SuppressWarnings("unchecked")
    private static String note(Map<String, Object> result) {
        Map<String, Object> d = (Map<String, Object>) result.get("kill_path");
        Map<String, Object> load = (Map<String, Object>) d.get("load_average");
        StringBuilder md = new StringBuilder();
        md.append("# Kill path (`bin/stopplane bench --phase kill-path`)\n\n");
        md.append(String.format("%s, commit %s, %s cores, load average at start %s, at end %s (other builds and"
                + " benches share this machine's cores: the load is theirs as much as the run's).%n%n", d.get("date"),
                d.get("commit"), d.get("cores"), load.get("start"), load.get("end")));
        md.append("The agent's supervisor alone, with real processes (`sh -c 'sleep 1000'`) and its real journal, no"
                + " broker (reports acknowledged at once); rounds of ").append(d.get("commands_running_per_round"))
                .append(" running commands stopped at once in journal batches of ").append(POLL_BATCH)
                .append(", the first round not counted.\n\n");
        md.append("| Measurement | Result | Target |\n|---|---|---|\n");
        md.append("| agent CPU per stop (JVM utime+stime, JIT and GC included; `kill_path_agent_cpu_ms_per_stop`) | ")
                .append(result.get("kill_path_agent_cpu_ms_per_stop")).append(" ms | ≤ 1 ms |\n");
        md.append("| stops/s (first stop to last report) | ").append(result.get("kill_path_stops_per_s")).append(" | |\n");
        md.append("| wrappers' CPU per stop (what the JVM reaped: cutime+cstime) | ").append(d.get("wrapper_cpu_ms_per_stop"))
                .append(" ms | |\n");
        md.append("| journal fdatasyncs per stop (group commit) | ").append(d.get("journal_fdatasyncs_per_stop"))
                .append(" | |\n");
        md.append("| kill method | ").append(d.get("kill_method")).append(" | |\n");
        md.append("| stops counted | ").append(d.get("stops_counted")).append(" | |\n\n");
        md.append("Agent CPU per stop by thread (ms):\n\n| Thread | ms |\n|---|---|\n");
        ((Map<String, Object>) d.get("agent_cpu_ms_per_stop_by_thread")).forEach(
                (thread, ms) -> md.append("| `").append(thread).append("` | ").append(ms).append(" |\n"));
        md.append("\nThe kernel's own work for the journal (its file system journal threads) and the killed commands'"
                + " CPU are not the agent's and not counted. Raw figures: `results.json`.\n");
        return md.toString();
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Adds the figures to the run's results.json (written by the other phases), or starts one. */
    private static void merge(Path file, Map<String, Object> result) throws IOException {
        ObjectNode json = Files.exists(file) ? (ObjectNode) StopPlaneJson.mapper().readTree(Files.readString(file))
                : StopPlaneJson.mapper().createObjectNode();
        result.forEach((k, v) -> json.set(k, StopPlaneJson.mapper().valueToTree(v)));
        Files.writeString(file, StopPlaneJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    }
}
