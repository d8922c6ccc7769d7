package io.stopplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.agent.process.KillMethod;
import io.stopplane.agent.process.ProcessControl;
import io.stopplane.agent.testing.Commands;
import io.stopplane.agent.testing.FakeGateway;
import io.stopplane.agent.testing.Processes;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.status.InstanceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The agent as a real process, connected to a gateway the test plays ({@link FakeGateway}), that is stopped, killed
 * and started again while commands wait for it or run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String marker = Processes.uniqueSleepSeconds();
    private final List<AgentProcess> agents = new ArrayList<>();
    private FakeGateway kafka;

    @TempDir
    Path stateDir;

    @BeforeAll
    void startGateway() throws Exception {
        kafka = FakeGateway.start();
    }

    @AfterEach
    void killAgentsAndWhatTheyLeft() throws InterruptedException {
        for (AgentProcess agent : agents) {
            agent.close();
        }
        Processes.killAll(marker);
    }

    @AfterAll
    void closeGateway() throws Exception {
        kafka.close();
    }

    @Test
    void theAgentHoldsNoKafkaClientAndItsOnlyConnectionIsToTheGateway() throws Exception {
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(AgentProcess.jar().toFile())) {
            assertThat(jar.stream().map(java.util.zip.ZipEntry::getName).filter(n -> n.startsWith("BOOT-INF/lib/")))
                    .isNotEmpty().noneMatch(n -> n.contains("kafka"));
        }
        AgentProcess agent = agent("i-sockets0001");
        RunCommand run = Commands.run("i-sockets0001", "echo hi");
        kafka.send(run);
        await().atMost(WAIT).until(() -> statuses(run.invokeId()).contains(InstanceStatus.SUCCESS));
        // Every TCP connection the agent process holds, by the socket inodes of its descriptors: only to the gateway.
        assertThat(ProcSockets.remotePorts(agent.pid(), agent.port())).isNotEmpty().containsOnly(kafka.port());
    }

    @Test
    void whatWaitedWhileTheAgentWasStoppedIsCancelledOrAbortedAndNeverRuns() throws Exception {
        String instance = "i-backlog0001";
        agent(instance).stop();
        Path cancelledRan = stateDir.resolve("cancelled-ran");
        Path abortedRan = stateDir.resolve("aborted-ran");
        RunCommand run = Commands.run(instance, "touch " + cancelledRan + "; sleep " + marker);
        RunCommand stale = new RunCommand("late-1", InvokeId.random(), run.instanceId(), Instant.now().minusSeconds(120),
                Commands.spec(CommandSpec.RUN_SHELL_SCRIPT, "touch " + abortedRan, 60, null, null));
        RunCommand fresh = Commands.run(instance, "echo fresh");
        // each in a transaction of its own, as api-service writes a run and, later, its stop
        kafka.send(run);
        kafka.send(Commands.stop(run));
        kafka.send(stale);
        kafka.send(fresh);

        // the gateway's first batch holds everything still to be done: the run's stop is seen with it
        agent(instance);

        await().atMost(WAIT).until(() -> statuses(fresh.invokeId()).contains(InstanceStatus.SUCCESS));
        await().atMost(WAIT).until(() -> !statuses(run.invokeId()).isEmpty() && !statuses(stale.invokeId()).isEmpty());
        assertThat(statuses(run.invokeId())).containsExactly(InstanceStatus.CANCELLED);
        assertThat(kafka.reportsOf(stale.invokeId())).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(InstanceStatus.ABORTED);
            assertThat(r.errorCode()).isEqualTo("DeliveryTimeout");
        });
        assertThat(cancelledRan).doesNotExist();
        assertThat(abortedRan).doesNotExist();
        assertThat(Processes.running(marker)).isEmpty();
    }

    @Test
    void aCommandRunningWhenTheAgentIsKilledNeverStartsTwiceAndItsOutcomeIsReportedOnce() throws Exception {
        Path countA = stateDir.resolve("count-a");
        Path countB = stateDir.resolve("count-b");
        Path go = stateDir.resolve("go");
        AgentProcess first = agent("i-crash0001,i-crash0002");
        RunCommand stopped = Commands.run("i-crash0001", "echo started >> " + countA + "; sleep " + marker);
        RunCommand ended = Commands.run("i-crash0002", "echo started >> " + countB + "; while [ ! -e " + go
                + " ]; do sleep 0.05; done; echo done; exit 3 # " + marker);
        kafka.send(stopped, ended);
        await().atMost(WAIT).until(() -> statuses(stopped.invokeId()).contains(InstanceStatus.RUNNING)
                && statuses(ended.invokeId()).contains(InstanceStatus.RUNNING));
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == 1 && Files.exists(countB));
        ProcessHandle sleep = Processes.sleeping(marker).get(0);

        first.kill();
        assertThat(Processes.isRunning(sleep)).as("the command outlives the agent").isTrue();
        // the second command ends while no agent is there to see it
        Files.createFile(go);
        await().atMost(WAIT).until(() -> Processes.running(go.toString()).isEmpty());
        // and the first one's run is delivered again, as on every connection until its final status
        agent("i-crash0001,i-crash0002");

        await().atMost(WAIT).until(() -> statuses(ended.invokeId()).contains(InstanceStatus.FAILED));
        InstanceStatusReported outcome = terminal(ended.invokeId()).get(0);
        assertThat(outcome.exitCode()).as("proven by the wrapper, not guessed").isEqualTo(3);
        assertThat(outcome.output()).isEqualTo("done\n");
        assertThat(Processes.isRunning(sleep)).as("still watched, not restarted").isTrue();
        assertThat(Processes.sleeping(marker)).containsExactly(sleep);

        kafka.send(Commands.stop(stopped));

        await().atMost(WAIT).until(() -> statuses(stopped.invokeId()).contains(InstanceStatus.TERMINATED));
        assertThat(terminal(stopped.invokeId())).singleElement().satisfies(r -> {
            assertThat(r.exitCode()).isEqualTo(143);
            assertThat(r.errorCode()).isEqualTo("ExecutionInterrupted");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> Processes.running(marker).isEmpty());
        assertThat(Files.readAllLines(countA)).as("started once").containsExactly("started");
        assertThat(Files.readAllLines(countB)).as("started once").containsExactly("started");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                terminal(stopped.invokeId()).size() == 1 && terminal(ended.invokeId()).size() == 1);
    }

    @Test
    void aCommandAdoptedAfterASigkillOfTheAgentIsStoppedWholeByItsCgroupEscapeesIncluded() throws Exception {
        AgentProcess first = agent("i-adopt0001");
        // cgroup where this machine lets the agent write cgroup v2 (as root here); the fallback elsewhere
        String killMethod = ProcessControl.of("auto").killMethod().wireName();
        assertThat(StopPlaneJson.mapper().readTree(first.health()).at("/components/processes/details/killMethod")
                .asString()).as("where a user sees how the agent kills").isEqualTo(killMethod);
        assertThat(StopPlaneJson.mapper().readTree(first.health()).at("/components/commands/details/killMethod")
                .asString()).as("what the agent tells its gateway (and so DescribeManagedInstances)").isEqualTo(killMethod);
        boolean byCgroup = killMethod.equals(KillMethod.CGROUP.wireName());
        // an escapee only a cgroup holds: its own session, orphaned at once
        String escapee = byCgroup ? "(setsid sleep " + marker + " &); " : "";
        RunCommand run = Commands.run("i-adopt0001", escapee + "sleep " + marker);
        kafka.send(run);
        int sleeps = byCgroup ? 2 : 1;
        await().atMost(WAIT).until(() -> Processes.sleeping(marker).size() == sleeps);
        List<ProcessHandle> before = Processes.sleeping(marker);

        first.kill();
        assertThat(before).as("the command outlives the agent").allMatch(Processes::isRunning);
        agent("i-adopt0001");
        kafka.send(Commands.stop(run));

        await().atMost(WAIT).until(() -> statuses(run.invokeId()).contains(InstanceStatus.TERMINATED));
        await().atMost(WAIT).until(() -> Processes.running(marker).isEmpty());
        assertThat(before).noneMatch(Processes::isRunning);
        assertThat(terminal(run.invokeId())).singleElement()
                .satisfies(r -> assertThat(r.errorCode()).isEqualTo("ExecutionInterrupted"));
    }

    @Test
    void withStopplaneLogFormatJsonEveryLineIsAJsonObjectAndACommandsLinesCarryItsInvokeIdAndInstanceId()
            throws Exception {
        String instance = "i-json0001";
        Path log = Path.of("target", "agent-it-logs", instance + "-" + agents.size() + ".log");
        Files.deleteIfExists(log);
        AgentProcess agent = agent(instance, Map.of("STOPPLANE_LOG_FORMAT", "json"));
        RunCommand run = Commands.run(instance, "echo hi");
        kafka.send(run);
        await().atMost(WAIT).until(() -> statuses(run.invokeId()).contains(InstanceStatus.SUCCESS));
        agent.stop();

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (!line.isBlank()) {
                JsonNode json = StopPlaneJson.mapper().readTree(line);
                assertThat(json.isObject()).as("a JSON object: %s", line).isTrue();
                lines.add(json);
            }
        }
        assertThat(lines).as("lines of %s", log).hasSizeGreaterThan(5).allSatisfy(json -> {
            assertThat(json.hasNonNull("@timestamp")).isTrue();
            assertThat(json.hasNonNull("level")).isTrue();
            assertThat(json.hasNonNull("message")).isTrue();
            assertThat(json.get("service").asString()).isEqualTo("agent-consumer");
        });
        assertThat(lines).as("the command's start, with its invokeId and instanceId").anyMatch(json ->
                json.has("invokeId") && json.get("invokeId").asString().equals(run.invokeId().value())
                        && json.has("instanceId") && json.get("instanceId").asString().equals(instance)
                        && json.get("message").asString().startsWith("Started pid"));
        assertThat(lines).as("its end, logged on a worker thread, too").anyMatch(json ->
                json.has("invokeId") && json.get("invokeId").asString().equals(run.invokeId().value())
                        && json.get("message").asString().matches("pid \\d+ exited 0 .*"));
    }

    private AgentProcess agent(String instanceIds) throws Exception {
        return agent(instanceIds, Map.of());
    }

    /** Registers the instances on the first start (their state under their first id), loads them on the next. */
    private AgentProcess agent(String instanceIds, Map<String, String> env) throws Exception {
        String[] ids = instanceIds.split(",");
        Path own = stateDir.resolve(ids[0]);
        if (!Files.isDirectory(own.resolve("identity"))) {
            kafka.assign(ids);
        }
        String name = instanceIds.replace(',', '_') + "-" + agents.size();
        AgentProcess agent = AgentProcess.start(name, kafka.url(), ids.length, own, env);
        agents.add(agent);
        return agent;
    }

    private List<InstanceStatus> statuses(InvokeId invokeId) {
        return kafka.reportsOf(invokeId).stream().map(InstanceStatusReported::status).toList();
    }

    private List<InstanceStatusReported> terminal(InvokeId invokeId) {
        return kafka.reportsOf(invokeId).stream().filter(r -> r.status().isTerminal()).toList();
    }
}
