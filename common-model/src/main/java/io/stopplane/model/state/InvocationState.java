package io.stopplane.model.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.status.InvocationStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The latest state of one invocation: the value on the compacted {@code invocation-state} topic.
 *
 * @param version the number of events that changed this state (one per event, however many targets it touched);
 *     lets readers keep the newest of two copies
 * @param clientToken RunCommand's idempotency token, carried from the creating event, with {@code parametersDigest}
 * @param ownerAccountId the account that created the invocation (null in the local no-auth mode): only it sees it
 */
public record InvocationState(
        InvokeId invokeId,
        RegionId regionId,
        CommandSpec command,
        Instant creationTime,
        Instant updateTime,
        List<InstanceState> instances,
        long version,
        String clientToken,
        String parametersDigest,
        String ownerAccountId) {

    public InvocationState {
        Objects.requireNonNull(invokeId, "invokeId");
        instances = List.copyOf(instances);
    }

    public InvocationState(InvokeId invokeId, RegionId regionId, CommandSpec command, Instant creationTime,
            Instant updateTime, List<InstanceState> instances, long version) {
        this(invokeId, regionId, command, creationTime, updateTime, instances, version, null, null, null);
    }

    /** The overall status, rolled up from the instances'. Written for outside readers; recomputed on read. */
    @JsonProperty("invocationStatus")
    public InvocationStatus invocationStatus() {
        return InvocationStatus.rollUp(instances.stream().map(InstanceState::status).toList());
    }

    public Optional<InstanceState> instance(InstanceId instanceId) {
        return instances.stream().filter(i -> i.instanceId().equals(instanceId)).findFirst();
    }

    /** The outputs the instances carry (after a fold, only the ones the last event reported). */
    public List<InstanceOutput> outputs() {
        return instances.stream().filter(i -> i.output() != null)
                .map(i -> new InstanceOutput(invokeId, i.instanceId(), i.output(), i.dropped(), i.updateTime()))
                .toList();
    }

    /** This state as {@code invocation-state} holds it: outputs live on {@code invocation-outputs}. */
    public InvocationState withoutOutputs() {
        if (instances.stream().allMatch(i -> i.output() == null)) {
            return this;
        }
        List<InstanceState> stripped = instances.stream().map(InstanceState::withoutOutput).toList();
        return new InvocationState(invokeId, regionId, command, creationTime, updateTime, stripped, version, clientToken,
                parametersDigest, ownerAccountId);
    }

    InvocationState withInstance(InstanceState changed, Instant at) {
        List<InstanceState> next = new ArrayList<>(instances.size());
        for (InstanceState i : instances) {
            next.add(i.instanceId().equals(changed.instanceId()) ? changed : i);
        }
        return new InvocationState(invokeId, regionId, command, creationTime, at, next, version, clientToken,
                parametersDigest, ownerAccountId);
    }

    InvocationState withVersion(long next) {
        return new InvocationState(invokeId, regionId, command, creationTime, updateTime, instances, next, clientToken,
                parametersDigest, ownerAccountId);
    }
}
