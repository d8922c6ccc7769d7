package io.stopplane.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * The part of the fault suite that {@code mvn verify} runs, on a small load through the HTTP API: the services as real
 * processes, SIGKILLed while it runs. Faults 2 (dispatchers) and 3 (agent) with every count of the full suite, in either
 * order (a run starts again whatever the one before left dead). The broker killed for good is {@link BrokerDownIT}, on
 * a broker of its own. The whole suite, all faults on the launcher's stack, is {@code bin/stopplane chaos}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChaosFaultsIT {

    /** Fault 2 both ways in one run: one of two dispatchers killed, then the other killed and started again. */
    static final Fault DISPATCHERS = new Fault("2-dispatchers",
            "two dispatchers: one SIGKILLed, then the other SIGKILLed and restarted", Stack.Shape.TWO_DISPATCHERS,
            false, c -> {
                c.kill("dispatcher");
                c.note("dispatcher killed, dispatcher-2 takes its partitions over");
                c.sleep(c.settings().outage());
                c.kill("dispatcher-2");
                long down = System.nanoTime();
                c.sleepUntil(down, c.settings().outage());
                c.start("dispatcher-2");
                c.note("no dispatcher for %.1f s; dispatcher-2 restored its store and caught up",
                        (System.nanoTime() - down) / 1e9);
            });

    private Path state;
    private EmbeddedKafkaBroker broker;
    private JarStack stack;
    private final List<RunResult> results = new ArrayList<>();
    private final Path out = Path.of(System.getProperty("stopplane.root", ".."), "chaos/target/chaos-it")
            .toAbsolutePath().normalize();

    @BeforeAll
    void startBroker() throws Exception {
        broker = JarStack.embeddedBroker();
        state = Files.createTempDirectory("chaos-it-");
        stack = new JarStack(broker.getBrokersAsString(), state);
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            stack.assertNothingLeftOnceStopped();
        } finally {
            stack.close();
            if (broker != null) {
                broker.destroy();
            }
            Files.createDirectories(out);
            Files.writeString(out.resolve("report.md"), Report.block(results), StandardCharsets.UTF_8);
            LauncherStack.deleteTree(state);
        }
    }

    @Test
    void dispatchersKilledUnderLoadLoseAndDuplicateNothing() throws Exception {
        assertPassed(run(DISPATCHERS));
    }

    @Test
    void theAgentKilledWhileCommandsRunAndStopsAreInFlightLosesAndDuplicatesNothing() throws Exception {
        assertPassed(run(Fault.AGENT));
    }

    private RunResult run(Fault fault) throws Exception {
        Path runDir = out.resolve(fault.id());
        RunResult r = new ChaosRun(stack, Settings.verify(), runDir,
                m -> System.out.printf("[chaos %s] %s%n", fault.id(), m)).run(fault);
        results.add(r);
        System.out.print(Report.table(List.of(r)));
        System.out.print(Report.details(List.of(r)));
        return r;
    }

    private static void assertPassed(RunResult r) {
        assertThat(r.problems()).as("problems of %s", r.fault()).isEmpty();
        assertThat(r.passed()).isTrue();
        assertThat(r.invocations()).as("invocations created").isPositive();
        assertThat(r.stopsAccepted()).as("stops accepted").isPositive();
        assertThat(r.stopsLanded()).isEqualTo(r.stopsAccepted());
        assertThat(r.wrongState()).isZero();
        assertThat(r.ranTwice()).isZero();
        assertThat(r.aliveAfterStop()).isZero();
        assertThat(r.hangs()).isZero();
        assertThat(r.auditOk()).as(r.audit()).isTrue();
    }
}
