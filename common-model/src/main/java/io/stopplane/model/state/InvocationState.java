package io.stopplane.model.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.library.CommandTemplate;
import io.stopplane.model.schedule.RepeatMode;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.status.InvocationStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The latest state of one invocation. On the compacted {@code invocation-state} topic, the value under the invocation's
 * key ({@code invokeId}) is its state as created, and under each target's key ({@link #targetKey}) an
 * {@link InvocationTarget}: the target as the latest event that changed it left it. A report so writes what it changed,
 * not the whole invocation; a reader lays each target record on the state with {@link #with}. See docs/events.md.
 *
 * @param version the number of events that changed this state (one per event, however many targets it touched);
 *     lets readers keep the newest of two copies
 * @param clientToken RunCommand's idempotency token, carried from the creating event, with {@code parametersDigest}
 * @param ownerAccountId the account that created the invocation (null in the local no-auth mode): only it sees it
 * @param schedule when a scheduled invocation ({@code RepeatMode} Period, NextRebootOnly or EveryReboot) runs; null
 *     for a run-once invocation
 * @param parameters the values of the command's custom parameters when it has some (see {@link #commandFor})
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
        String ownerAccountId,
        Schedule schedule,
        Map<String, String> parameters) {

    public InvocationState {
        Objects.requireNonNull(invokeId, "invokeId");
        instances = List.copyOf(instances);
        parameters = parameters == null ? null : Map.copyOf(parameters);
    }

    public InvocationState(InvokeId invokeId, RegionId regionId, CommandSpec command, Instant creationTime,
            Instant updateTime, List<InstanceState> instances, long version, String clientToken,
            String parametersDigest, String ownerAccountId) {
        this(invokeId, regionId, command, creationTime, updateTime, instances, version, clientToken, parametersDigest,
                ownerAccountId, null, null);
    }

    public InvocationState(InvokeId invokeId, RegionId regionId, CommandSpec command, Instant creationTime,
            Instant updateTime, List<InstanceState> instances, long version) {
        this(invokeId, regionId, command, creationTime, updateTime, instances, version, null, null, null);
    }

    /** Alibaba's {@code RepeatMode}: the schedule's (Period, NextRebootOnly, EveryReboot), else Once. */
    public RepeatMode repeatMode() {
        return schedule == null ? RepeatMode.ONCE : schedule.mode();
    }

    /** What {@code instanceId} runs: the command, with its parameters resolved for that target when it has some. */
    public CommandSpec commandFor(InstanceId instanceId) {
        return CommandTemplate.forTarget(command, parameters,
                new CommandTemplate.Target(instanceId, invokeId, command.commandId(), regionId));
    }

    /** The overall status, rolled up from the instances'. Written for outside readers; recomputed on read. */
    @JsonProperty("invocationStatus")
    public InvocationStatus invocationStatus() {
        return InvocationStatus.rollUp(instances.stream().map(InstanceState::status).toList());
    }

    /** The key of one target's record on {@code invocation-state}: {@code invokeId/instanceId}. */
    public static String targetKey(InvokeId invokeId, InstanceId instanceId) {
        return InstanceOutput.key(invokeId, instanceId);
    }

    /** Whether a key of {@code invocation-state} is a target record's, not an invocation's. */
    public static boolean isTargetKey(String key) {
        return key.indexOf('/') >= 0;
    }

    /** The invokeId part of a key of {@code invocation-state}, whichever kind it is. */
    public static String invokeIdOf(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(0, slash);
    }

    /** The target record of {@code instance}, as of this state's version. */
    public InvocationTarget target(InstanceState instance) {
        return new InvocationTarget(version, instance);
    }

    /**
     * This state with a target record laid on it: the record's target replaces this one's (a target this state does
     * not have is ignored), and when the record is not older, its version and its target's update time (every event
     * sets the update time of each target it changes to the invocation's) become this state's. The latest record of
     * each key, laid in any order, so gives the state the dispatcher folded.
     */
    public InvocationState with(InvocationTarget target) {
        InstanceState changed = target.instance();
        if (instance(changed.instanceId()).isEmpty()) {
            return this;
        }
        boolean newer = target.version() >= version;
        InvocationState next = withInstance(changed, newer ? changed.updateTime() : updateTime);
        return newer ? next.withVersion(target.version()) : next;
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
                parametersDigest, ownerAccountId, schedule,
                parameters);
    }

    InvocationState withInstance(InstanceState changed, Instant at) {
        List<InstanceState> next = new ArrayList<>(instances.size());
        for (InstanceState i : instances) {
            next.add(i.instanceId().equals(changed.instanceId()) ? changed : i);
        }
        return new InvocationState(invokeId, regionId, command, creationTime, at, next, version, clientToken,
                parametersDigest, ownerAccountId, schedule,
                parameters);
    }

    /**
     * This state as a modification left it: what the invocation runs from its next run on and its targets (the added
     * ones at the end); the rest as it was.
     */
    InvocationState modified(CommandSpec nextCommand, Map<String, String> nextParameters, Schedule nextSchedule,
            List<InstanceState> nextInstances, Instant at) {
        return new InvocationState(invokeId, regionId, nextCommand, creationTime, at, nextInstances, version,
                clientToken, parametersDigest, ownerAccountId, nextSchedule, nextParameters);
    }

    /**
     * Whether {@code other} differs from this state in more than its targets' records: its command, schedule,
     * parameters or set of targets (a modification). The record under the invocation's key must then be written again.
     */
    public boolean headDiffers(InvocationState other) {
        return other == null || !Objects.equals(command, other.command) || !Objects.equals(schedule, other.schedule)
                || !Objects.equals(parameters, other.parameters) || instances.size() != other.instances.size();
    }

    InvocationState withVersion(long next) {
        return new InvocationState(invokeId, regionId, command, creationTime, updateTime, instances, next, clientToken,
                parametersDigest, ownerAccountId, schedule,
                parameters);
    }
}
