package io.stopplane.audit;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.status.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * An audit story over ninety minutes: alice runs A on two instances, bob runs B; bob stops one of A's targets, alice
 * stops the rest; B's agent never picks its run up (a delivery timeout); a late duplicate report; alice runs C, which
 * succeeds with output.
 */
final class Scenario {

    static final InvokeId A = InvokeId.of("t-auditalpha0001");
    static final InvokeId B = InvokeId.of("t-auditbravo0002");
    static final InvokeId C = InvokeId.of("t-auditcharlie03");
    static final InstanceId A1 = InstanceId.of("i-audit0a1");
    static final InstanceId A2 = InstanceId.of("i-audit0a2");
    static final InstanceId B1 = InstanceId.of("i-audit0b1");
    static final String ALICE = "1111111111";
    static final String BOB = "2222222222";
    static final RegionId REGION = RegionId.of("cn-hangzhou");

    /** Far enough back that every event is in the past, recent enough for any retention. */
    final Instant t0 = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);

    final InvocationCreated aCreated = new InvocationCreated(id(), A, at(0, 0), REGION, command("sleep 600"),
            List.of(A1, A2), alice("req-alice-run-a"), "token-a", "digest-a");
    final InstanceStatusReported a1Running = report(A, A1, InstanceStatus.RUNNING, at(1, 0), null, null, null);
    final InstanceStatusReported a2Running = report(A, A2, InstanceStatus.RUNNING, at(1, 1), null, null, null);
    final InvocationCreated bCreated = new InvocationCreated(id(), B, at(10, 0), REGION, command("uptime"),
            List.of(B1), bob("req-bob-run-b"), null, null);
    final StopRequested bobStopsA1 = new StopRequested(id(), A, at(30, 0), List.of(A1), bob("req-bob-stop-a1"));
    final InstanceStatusReported a1Terminated = report(A, A1, InstanceStatus.TERMINATED, at(30, 2), 143,
            "ExecutionInterrupted", null);
    final TimeoutDetected bDeliveryTimeout = new TimeoutDetected(id(), B, at(40, 0), B1, TimeoutDetected.Kind.DELIVERY,
            "DeliveryTimeout", "the command delivery has been timeout");
    final StopRequested aliceStopsA = new StopRequested(id(), A, at(60, 0), List.of(), alice("req-alice-stop-a"));
    final InstanceStatusReported a2Terminated = report(A, A2, InstanceStatus.TERMINATED, at(60, 1), 143,
            "ExecutionInterrupted", null);
    final InstanceStatusReported a1LateDuplicate = report(A, A1, InstanceStatus.TERMINATED, at(61, 0), 143,
            "ExecutionInterrupted", null);
    final InvocationCreated cCreated = new InvocationCreated(id(), C, at(90, 0), REGION, command("echo hello"),
            List.of(A1), alice("req-alice-run-c"), null, null);
    final InstanceStatusReported cRunning = report(C, A1, InstanceStatus.RUNNING, at(90, 1), null, null, null);
    final InstanceStatusReported cSuccess = report(C, A1, InstanceStatus.SUCCESS, at(90, 3), 0, null, "hello\n");

    /** In the order they are appended to the log. */
    final List<InvocationEvent> events = List.of(aCreated, a1Running, a2Running, bCreated, bobStopsA1, a1Terminated,
            bDeliveryTimeout, aliceStopsA, a2Terminated, a1LateDuplicate, cCreated, cRunning, cSuccess);

    final List<AgentHeartbeat> heartbeats = List.of(
            new AgentHeartbeat(A1, REGION, ALICE, "0.1.0", "host-a", at(90, 5)),
            new AgentHeartbeat(A2, REGION, null, "0.1.0", "host-a", at(90, 5)));

    Instant at(int minutes, int seconds) {
        return t0.plus(Duration.ofMinutes(minutes)).plusSeconds(seconds);
    }

    static Caller alice(String requestId) {
        return new Caller(ALICE, "LTAI5alice", "10.0.0.1", requestId);
    }

    static Caller bob(String requestId) {
        return new Caller(BOB, "LTAI5bob", "192.168.7.2", requestId);
    }

    private static CommandSpec command(String content) {
        return new CommandSpec(CommandId.random(), "audit-test", null, CommandSpec.RUN_SHELL_SCRIPT, content, 600, "root",
                "/tmp", null);
    }

    private static InstanceStatusReported report(InvokeId invoke, InstanceId instance, InstanceStatus status,
            Instant at, Integer exit, String errorCode, String output) {
        return new InstanceStatusReported(id(), invoke, at, instance, status, exit, errorCode, null, output,
                0);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
