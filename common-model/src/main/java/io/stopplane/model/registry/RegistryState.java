package io.stopplane.model.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the registry fold keeps per activation id (the key of {@code registry-events}): the activation, the instances
 * registered with it, and what it needs to recognise an event it has seen (a producer's retry writes one twice).
 *
 * @param activation null before ActivationCreated and after ActivationDeleted
 * @param deleted the activation was deleted: the id never comes back
 * @param instances every instance registered with it, deregistered ones too (an identity is never reused)
 * @param accepted request id → instance id of each accepted registration: a repeated request is never refused as a
 *     duplicate instance id after it was accepted (bounded by InstanceCount)
 * @param recent the latest event ids and refused request ids, oldest first, at most {@link #RECENT}
 */
public record RegistryState(
        String activationId,
        ActivationRecord activation,
        boolean deleted,
        List<ManagedInstanceRecord> instances,
        Map<String, String> accepted,
        List<String> recent) {

    /** How many event and request ids are remembered: a retry comes seconds after its original, not thousands later. */
    public static final int RECENT = 256;

    public RegistryState {
        Objects.requireNonNull(activationId, "activationId");
        instances = instances == null ? List.of() : List.copyOf(instances);
        accepted = accepted == null ? Map.of() : Map.copyOf(accepted);
        recent = recent == null ? List.of() : List.copyOf(recent);
    }

    static RegistryState empty(String activationId) {
        return new RegistryState(activationId, null, false, List.of(), Map.of(), List.of());
    }

    public Optional<ManagedInstanceRecord> instance(String instanceId) {
        return instances.stream().filter(i -> i.instanceId().value().equals(instanceId)).findFirst();
    }

    /** Instances not deregistered. */
    public long registered() {
        return instances.stream().filter(i -> !i.deregistered()).count();
    }

    boolean seen(String id) {
        return id != null && recent.contains(id);
    }

    RegistryState remember(String... ids) {
        List<String> next = new ArrayList<>(recent);
        for (String id : ids) {
            if (id != null && !next.contains(id)) {
                next.add(id);
            }
        }
        while (next.size() > RECENT) {
            next.remove(0);
        }
        return new RegistryState(activationId, activation, deleted, instances, accepted, next);
    }

    RegistryState withActivation(ActivationRecord a, boolean isDeleted) {
        return new RegistryState(activationId, a, isDeleted, instances, accepted, recent);
    }

    RegistryState withInstance(ManagedInstanceRecord instance) {
        List<ManagedInstanceRecord> next = new ArrayList<>(instances);
        next.removeIf(i -> i.instanceId().equals(instance.instanceId()));
        next.add(instance);
        return new RegistryState(activationId, activation, deleted, next, accepted, recent);
    }

    RegistryState withAccepted(String requestId, String instanceId) {
        Map<String, String> next = new java.util.HashMap<>(accepted);
        next.put(requestId, instanceId);
        return new RegistryState(activationId, activation, deleted, instances, next, recent);
    }
}
