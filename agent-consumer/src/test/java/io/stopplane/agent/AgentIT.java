package io.stopplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.agent.testing.Commands;
import io.stopplane.agent.testing.FakeGateway;
import io.stopplane.agent.testing.Processes;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.command.StopCommand;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.status.InstanceStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The agent in-process, registered with an activation and connected to a gateway the test plays
 * ({@link FakeGateway}, the protocol of docs/agent-gateway.md), running and stopping real processes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stopplane.agent.instance-count=2",
    "stopplane.agent.activation-id=" + FakeGateway.ACTIVATION_ID,
    "stopplane.agent.activation-code=" + FakeGateway.ACTIVATION_CODE,
    "stopplane.agent.stop-grace=3s",
})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path STATE_DIR = createStateDir();
    private static final FakeGateway GATEWAY = startGateway();

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    private final FakeGateway kafka = GATEWAY;
    private final String marker = Processes.uniqueSleepSeconds();

    @DynamicPropertySource
    static void stateDir(DynamicPropertyRegistry registry) {
        registry.add("stopplane.agent.state-dir", STATE_DIR::toString);
        registry.add("stopplane.agent.gateway-url", GATEWAY::url);
    }

    @BeforeAll
    void awaitReadiness() throws Exception {
        await().atMost(WAIT).until(() -> health().statusCode() == 200);
        assertThat(health().body()).contains("\"commands\"", "\"UP\"", "i-test0001", "i-test0002");
    }

    @AfterEach
    void killLeftovers() {
        GATEWAY.cutOff(false);
        Processes.killAll(marker);
    }

    @AfterAll
    void cleanUp() throws Exception {
        Processes.killAll(marker);
    }

    @AfterAll
    static void deleteStateDir() throws Exception {
        GATEWAY.close();
        FileSystemUtils.deleteRecursively(STATE_DIR.toFile());
    }

    @Test
    void registrationKeepsEachIdentityInAFileOnlyTheAgentCanRead() throws Exception {
        for (String instance : List.of("i-test0001", "i-test0002")) {
            Path file = STATE_DIR.resolve("identity").resolve(instance + ".json");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Files.readString(file)).contains("\"privateKey\"", "\"Ed25519\"");
        }
    }

    @Test
    void aReportMadeWhileTheGatewayIsAwayGoesOutWhenItIsBackAndAStopIssuedMeanwhileLands() {
        RunCommand run = Commands.run("i-test0001", "sleep " + marker);
        Path ended = STATE_DIR.resolve("quick-ended");
        RunCommand quick = Commands.run("i-test0002", "sleep 1; touch " + ended);
        kafka.send(run, quick);
        await().atMost(WAIT).until(() -> statuses(quick.invokeId()).contains(InstanceStatus.RUNNING)
                && statuses(run.invokeId()).contains(InstanceStatus.RUNNING));

        GATEWAY.cutOff(true);
        await().atMost(WAIT).until(() -> !GATEWAY.connected());
        // Meanwhile the quick one ends, and a stop is queued at the gateway.
        await().atMost(WAIT).until(() -> Files.exists(ended));
        kafka.send(Commands.stop(run));
        assertThat(statuses(quick.invokeId())).containsExactly(InstanceStatus.RUNNING);

        GATEWAY.cutOff(false);
        await().atMost(WAIT).until(() -> statuses(quick.invokeId()).contains(InstanceStatus.SUCCESS));
        await().atMost(WAIT).until(() -> statuses(run.invokeId()).contains(InstanceStatus.TERMINATED));
        // Delivered again on the reconnect, the run does not start twice.
        assertThat(statuses(run.invokeId())).containsExactly(InstanceStatus.RUNNING, InstanceStatus.TERMINATED);
    }

    @Test
    void prometheusShowsTheRunningProcessesAndTheConnectionAndTheProbesAnswer() throws Exception {
        double before = processesRunning();
        RunCommand run = Commands.run("i-test0001", "sleep " + marker);
        kafka.send(run);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 1);
        await().atMost(WAIT).until(() -> processesRunning() == before + 1);
        String scrape = get("/actuator/prometheus").body();
        assertThat(scrape).contains("# HELP stopplane_agent_processes_running command processes this agent is running")
                .contains("stopplane_agent_gateway_welcomes_total");
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"commands\"", "\"readinessState\"");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);

        kafka.send(Commands.stop(run));
        await().atMost(WAIT).until(() -> statuses(run.invokeId()).contains(InstanceStatus.TERMINATED));
        await().atMost(WAIT).until(() -> processesRunning() == before);
    }

    private double processesRunning() throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?m)^stopplane_agent_processes_running (\\S+)$")
                .matcher(get("/actuator/prometheus").body());
        assertThat(m.find()).as("stopplane_agent_processes_running on /actuator/prometheus").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runsOnTwoInstancesThenAStopKillsBoth() {
        InvokeId invokeId = InvokeId.random();
        RunCommand first = Commands.run(invokeId, "i-test0001", "sleep " + marker);
        RunCommand second = Commands.run(invokeId, "i-test0002", "sleep " + marker);
        kafka.send(first, second);

        await().atMost(WAIT).until(() -> statuses(invokeId).size() == 2);
        assertThat(statuses(invokeId)).containsOnly(InstanceStatus.RUNNING);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 2);
        List<ProcessHandle> sleeps = Processes.sleeping(marker);

        kafka.send(Commands.stop(first), Commands.stop(second));

        await().atMost(WAIT).until(() -> statuses(invokeId).size() == 4);
        List<InstanceStatusReported> terminated = kafka.reportsOf(invokeId).stream()
                .filter(r -> r.status() == InstanceStatus.TERMINATED)
                .toList();
        assertThat(terminated).extracting(r -> r.instanceId().value())
                .containsExactlyInAnyOrder("i-test0001", "i-test0002");
        assertThat(terminated).allSatisfy(r -> {
            assertThat(r.exitCode()).isEqualTo(143);
            assertThat(r.errorCode()).isEqualTo("ExecutionInterrupted");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> sleeps.stream().noneMatch(Processes::isRunning));
    }

    @Test
    void aStopLeavesNothingOfTheTreeAliveNotEvenWhatLeftTheGroup() {
        String sleep = "sleep " + marker;
        // a background grandchild, an orphan, one in a session of its own, a foreground one
        RunCommand run = Commands.run("i-test0001", sleep + " & (" + sleep + " &); setsid " + sleep + " & " + sleep
                + "; wait");
        kafka.send(run);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 4);
        List<ProcessHandle> sleeps = Processes.sleeping(marker);

        kafka.send(Commands.stop(run));

        await().atMost(WAIT).until(() -> statuses(run.invokeId()).contains(InstanceStatus.TERMINATED));
        assertThat(kafka.reportsOf(run.invokeId()).get(1).exitCode()).isEqualTo(143);
        await().atMost(Duration.ofSeconds(30)).until(() -> sleeps.stream().noneMatch(Processes::isRunning));
    }

    @Test
    void aTermTrapGetsItsGraceAndWhatIgnoresTermIsKilledOnceItIsOver() {
        Path cleaned = STATE_DIR.resolve("cleaned-" + marker);
        RunCommand trapping = Commands.run("i-test0001",
                "trap 'echo cleaned > " + cleaned + "; exit 0' TERM; sleep " + marker + " & wait");
        RunCommand ignoring = Commands.run("i-test0002", "trap '' TERM; sleep " + marker);
        kafka.send(trapping, ignoring);
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 2);
        StopCommand stop = Commands.stop(ignoring);
        long start = System.nanoTime();

        // the second stop overrides the agent's grace period
        kafka.send(Commands.stop(trapping), new StopCommand(stop.commandEventId(), stop.invokeId(), stop.instanceId(),
                stop.issuedAt(), stop.requestId(), 1));

        await().atMost(WAIT).until(() -> statuses(ignoring.invokeId()).contains(InstanceStatus.TERMINATED));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(kafka.reportsOf(ignoring.invokeId()).get(1).exitCode()).as("SIGKILL").isEqualTo(137);
        await().atMost(WAIT).until(() -> statuses(trapping.invokeId()).contains(InstanceStatus.TERMINATED));
        assertThat(cleaned).hasContent("cleaned");
        await().atMost(Duration.ofSeconds(30)).until(() -> Processes.running(marker).isEmpty());
    }

    @Test
    void aTimeoutKillsTheWholeTree() {
        RunCommand run = Commands.run(InvokeId.random(), "i-test0002", Commands.spec(CommandSpec.RUN_SHELL_SCRIPT,
                "sleep " + marker + " & (sleep " + marker + " &); sleep " + marker, 1, null, null));
        kafka.send(run);

        await().atMost(WAIT).until(() -> statuses(run.invokeId()).contains(InstanceStatus.TIMEOUT));
        InstanceStatusReported outcome = kafka.reportsOf(run.invokeId()).get(1);
        assertThat(outcome.exitCode()).isEqualTo(143);
        assertThat(outcome.errorCode()).isEqualTo("ExecutionTimeout");
        await().atMost(Duration.ofSeconds(30)).until(() -> Processes.running(marker).isEmpty());
    }

    @Test
    void outputBeyond24KilobytesKeepsTheFirst24AndCountsTheRestAsDropped() {
        RunCommand run = Commands.run("i-test0001", "head -c 30000 /dev/zero | tr '\\0' a");
        kafka.send(run);

        await().atMost(WAIT).until(() -> statuses(run.invokeId()).contains(InstanceStatus.SUCCESS));
        InstanceStatusReported outcome = kafka.reportsOf(run.invokeId()).get(1);
        assertThat(outcome.output()).hasSize(24 * 1024).isEqualTo("a".repeat(24 * 1024));
        assertThat(outcome.dropped()).isEqualTo(30_000 - 24 * 1024);
    }

    @Test
    void aNonZeroExitIsReportedFailed() {
        RunCommand run = Commands.run("i-test0001", "exit 3");
        kafka.send(run);

        await().atMost(WAIT).until(() -> statuses(run.invokeId()).size() == 2);
        InstanceStatusReported outcome = kafka.reportsOf(run.invokeId()).get(1);
        assertThat(statuses(run.invokeId())).containsExactly(InstanceStatus.RUNNING, InstanceStatus.FAILED);
        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.errorCode()).isEqualTo("ExitCodeNonzero");
    }

    @Test
    void aRunStoppedInTheSameBatchIsCancelledAndNeverRuns() {
        Path sideEffect = STATE_DIR.resolve("cancelled-ran");
        RunCommand run = Commands.run("i-test0002", "touch " + sideEffect + "; sleep " + marker);
        kafka.send(run, Commands.stop(run));
        RunCommand after = Commands.run("i-test0002", "exit 0");
        kafka.send(after);

        await().atMost(WAIT).until(() -> statuses(after.invokeId()).contains(InstanceStatus.SUCCESS));
        assertThat(statuses(run.invokeId())).containsExactly(InstanceStatus.CANCELLED);
        assertThat(sideEffect).doesNotExist();
    }

    private List<InstanceStatus> statuses(InvokeId invokeId) {
        return kafka.reportsOf(invokeId).stream().map(InstanceStatusReported::status).toList();
    }

    private HttpResponse<String> health() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static FakeGateway startGateway() {
        try {
            return FakeGateway.start("i-test0001", "i-test0002");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path createStateDir() {
        try {
            return Files.createTempDirectory("agent-it-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
