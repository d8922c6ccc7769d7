package io.stopplane.model.event;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.schedule.Schedule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * RunCommand created an invocation of {@code command} on {@code instanceIds}.
 *
 * @param clientToken the caller's idempotency token, if any
 * @param parametersDigest a digest of the request's parameters: the same token with other parameters is refused
 * @param parameters with {@code EnableParameter}, the values of the command's custom parameters ({@code command}'s
 *     content is then a template: each target ran it resolved with these and its own built-ins, see
 *     {@link io.stopplane.model.library.CommandTemplate#resolve}); null without: the content ran as it is
 * @param schedule for {@code RepeatMode} Period, when it runs: the API then sends no run, the dispatcher issues each
 *     (see docs/schedules.md); null for a run-once invocation
 */
public record InvocationCreated(
        String eventId,
        InvokeId invokeId,
        Instant occurredAt,
        RegionId regionId,
        CommandSpec command,
        List<InstanceId> instanceIds,
        Caller caller,
        String clientToken,
        String parametersDigest,
        Map<String, String> parameters,
        Schedule schedule)
        implements InvocationEvent {

    public InvocationCreated(String eventId, InvokeId invokeId, Instant occurredAt, RegionId regionId,
            CommandSpec command, List<InstanceId> instanceIds, Caller caller, String clientToken,
            String parametersDigest, Map<String, String> parameters) {
        this(eventId, invokeId, occurredAt, regionId, command, instanceIds, caller, clientToken, parametersDigest,
                parameters, null);
    }

    public InvocationCreated(String eventId, InvokeId invokeId, Instant occurredAt, RegionId regionId,
            CommandSpec command, List<InstanceId> instanceIds, Caller caller, String clientToken,
            String parametersDigest) {
        this(eventId, invokeId, occurredAt, regionId, command, instanceIds, caller, clientToken, parametersDigest,
                null, null);
    }

    public InvocationCreated(String eventId, InvokeId invokeId, Instant occurredAt, RegionId regionId,
            CommandSpec command, List<InstanceId> instanceIds, Caller caller) {
        this(eventId, invokeId, occurredAt, regionId, command, instanceIds, caller, null, null, null, null);
    }

    public InvocationCreated {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(invokeId, "invokeId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(regionId, "regionId");
        Objects.requireNonNull(command, "command");
        instanceIds = List.copyOf(instanceIds);
        if (instanceIds.isEmpty()) {
            throw new IllegalArgumentException("an invocation needs at least one instance");
        }
        parameters = parameters == null ? null : Map.copyOf(parameters);
    }
}
