package io.stopplane.chaos;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code bin/stopplane chaos [--quick] [--busy [N]] [--fault 1,2a,…] [--update-docs]}: each fault in turn on a fresh
 * stack (with {@code --busy}, CPU burners beside it), the table of each run, and the latest run of each fault, idle and
 * busy, in {@code .stopplane/chaos/report.md} (and, with {@code --update-docs}, in {@code docs/reliability.md}). Exit
 * status 0 only if every run passed.
 */
public final class ChaosMain {

    private ChaosMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean updateDocs = false;
        int burners = 0;
        String faults = System.getenv().getOrDefault("STOPPLANE_CHAOS_FAULTS", "all");
        Path root = Path.of(System.getenv().getOrDefault("STOPPLANE_ROOT", ".")).toAbsolutePath().normalize();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--update-docs" -> updateDocs = true;
                case "--busy" -> {
                    burners = Runtime.getRuntime().availableProcessors();
                    if (i + 1 < args.length && args[i + 1].matches("[1-9][0-9]?")) {
                        burners = Integer.parseInt(args[++i]);
                    }
                }
                case "--fault", "--faults" -> faults = value(args, ++i);
                case "--root" -> root = Path.of(value(args, ++i)).toAbsolutePath().normalize();
                case "-h", "--help", "help" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("chaos: unknown argument " + args[i]);
                    usage();
                    System.exit(2);
                }
            }
        }
        List<Fault> selected = Fault.select(faults);
        Settings settings = quick ? Settings.quick() : Settings.full();
        if (burners > 0) {
            settings = settings.busy(burners);
        }
        LauncherStack.Ports ports = new LauncherStack.Ports(port("STOPPLANE_CHAOS_API_PORT", 28080),
                port("STOPPLANE_CHAOS_KAFKA_PORT", 29092));
        Path home = root.resolve(".stopplane/chaos");
        String[] current = {"chaos"};
        java.util.function.Consumer<String> log = m -> System.out.printf("[chaos %s] %-20s %s%n",
                LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")), current[0], m);
        LauncherStack stack = new LauncherStack(root, home, ports, log);
        AtomicBoolean finished = new AtomicBoolean();
        Burners[] burning = {null};
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!finished.get()) {
                System.out.println("[chaos] interrupted: stopping the burners and the chaos stack");
                if (burning[0] != null) {
                    burning[0].close();
                }
                stack.down();
            }
        }));

        System.out.printf("[chaos] %s run of %d fault(s): %s; API on 127.0.0.1:%d, broker on 127.0.0.1:%d; "
                + "state in %s%n", settings.mode(), selected.size(), selected.stream().map(Fault::id).toList(),
                ports.api(), ports.kafka(), home);
        List<RunResult> results = new ArrayList<>();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try (Burners b = Burners.start(settings.burners())) {
            burning[0] = b;
            if (b.count() > 0) {
                System.out.printf("[chaos] busy: %d CPU burner(s) beside the stack for the whole suite (pids %s)%n",
                        b.count(), b.pids());
            }
            for (Fault fault : selected) {
                current[0] = fault.id();
                Path runDir = home.resolve("runs").resolve(stamp + "-" + fault.id());
                RunResult r = new ChaosRun(stack, settings, runDir, log).run(fault);
                Report.save(home.resolve("results"), r, settings.burners() > 0);
                results.add(r);
                System.out.println();
                System.out.print(Report.table(List.of(r)));
                System.out.print(Report.details(List.of(r)));
                System.out.println("(run files: " + runDir + ")");
                System.out.println();
            }
        }
        finished.set(true);

        List<RunResult> latest = Report.latest(home.resolve("results"));
        Files.writeString(home.resolve("report.md"), "# StopPlane chaos: the latest run of each fault, idle and busy\n\n"
                + Report.block(latest), StandardCharsets.UTF_8);
        System.out.println("This run:");
        System.out.print(Report.table(results));
        System.out.println("Latest run of each fault: " + home.resolve("report.md"));
        if (updateDocs) {
            Path doc = root.resolve("docs/reliability.md");
            Files.writeString(doc, Report.replaceBlock(Files.readString(doc), Report.block(latest)),
                    StandardCharsets.UTF_8);
            System.out.println("Updated " + doc);
        }
        boolean passed = results.stream().allMatch(RunResult::passed);
        System.out.println(passed ? "chaos: PASSED" : "chaos: FAILED ("
                + results.stream().filter(r -> !r.passed()).map(RunResult::fault).toList() + ")");
        System.exit(passed ? 0 : 1);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static int port(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.strip());
    }

    private static void usage() {
        System.out.println("""
                Usage: bin/stopplane chaos [--quick] [--busy [N]] [--fault LIST] [--update-docs]

                  Kills real StopPlane processes (SIGKILL) under load through the HTTP API, heals them, and checks
                  that every accepted stop landed, every invocation reached its right final state, nothing ran twice,
                  no process outlived its stop, and audit verify passes.

                  --quick        a smaller load, each fault once (about 7 minutes on two cores)
                  --busy [N]     N CPU burners (busy-looping shells; default one per core) beside the stack for
                                 the whole suite, killed at its end; the report keeps busy runs apart
                  --fault LIST   only these faults, e.g. 1,2a,3 or agent,cluster:
                                   1-broker            broker SIGKILL mid-load, restarted
                                   2a-dispatcher       dispatcher SIGKILL mid-load, restarted
                                   2b-two-dispatchers  two dispatchers, one SIGKILLed
                                   3-agent             agent SIGKILL while commands run and stops are in flight
                                   4-api               api-service SIGKILL between requests, restarted
                                   5-cluster           three brokers (RF 3, min.insync.replicas=2), one killed for good
                                   6-gateway           agent gateway SIGKILL with the agent connected, stops in flight
                  --update-docs  write the latest run of each fault (idle and busy) into docs/reliability.md

                  Runs in a scratch root (.stopplane/chaos/stack) on its own ports: API 28080 (its Actuator 28084),
                  dispatchers 28081 and 28083, agent 28082, gateway 28085 (management 28086), brokers 29092-29097
                  (move them with STOPPLANE_CHAOS_API_PORT and STOPPLANE_CHAOS_KAFKA_PORT). Each run's logs and marker file: .stopplane/chaos/runs/.
                """);
    }
}
