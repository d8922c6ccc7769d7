package io.stopplane.model;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.status.InstanceStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Shared fixtures for the common-model tests: fixed ids, fixed times, terse event factories. */
public final class TestEvents {

    public static final Instant T0 = Instant.parse("2026-11-27T09:15:55Z");
    public static final InvokeId INVOKE = InvokeId.of("t-hz0jdfwd9f0001");
    public static final InvokeId OTHER_INVOKE = InvokeId.of("t-hz0jdfwd9f0002");
    public static final RegionId REGION = RegionId.of("cn-hangzhou");
    public static final InstanceId I1 = InstanceId.of("i-bp1aaaa0001");
    public static final InstanceId I2 = InstanceId.of("i-bp1aaaa0002");
    public static final InstanceId I3 = InstanceId.of("i-bp1aaaa0003");
    public static final Caller CALLER = new Caller("1234567890", "testid", "10.0.0.1",
            "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E");
    public static final CommandSpec COMMAND = new CommandSpec(CommandId.of("c-hz0jdfwd9f0001"), "sleep", "sleeps",
            CommandSpec.RUN_SHELL_SCRIPT, "sleep 600", CommandSpec.DEFAULT_TIMEOUT_SECONDS, "root", "/tmp", null);

    private static final AtomicLong SEQ = new AtomicLong();

    private TestEvents() {
    }

    public static Instant t(long seconds) {
        return T0.plusSeconds(seconds);
    }

    public static String eventId() {
        return "e-" + SEQ.incrementAndGet();
    }

    public static InvocationCreated created(InstanceId... targets) {
        return created(INVOKE, T0, targets);
    }

    public static InvocationCreated created(InvokeId invokeId, Instant at, InstanceId... targets) {
        return new InvocationCreated(eventId(), invokeId, at, REGION, COMMAND, List.of(targets), CALLER);
    }

    public static StopRequested stop(Instant at, InstanceId... targets) {
        return new StopRequested(eventId(), INVOKE, at, List.of(targets), CALLER);
    }

    public static InstanceStatusReported report(InstanceId instanceId, InstanceStatus status, Instant at) {
        return new InstanceStatusReported(eventId(), INVOKE, at, instanceId, status, null, null, null, null, 0);
    }

    public static InstanceStatusReported outcome(InstanceId instanceId, InstanceStatus status, Instant at,
            Integer exitCode, String errorCode, String errorInfo, String output, long dropped) {
        return new InstanceStatusReported(eventId(), INVOKE, at, instanceId, status, exitCode, errorCode, errorInfo,
                output, dropped);
    }
}
