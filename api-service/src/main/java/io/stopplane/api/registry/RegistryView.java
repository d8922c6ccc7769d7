package io.stopplane.api.registry;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.registry.ActivationRecord;
import io.stopplane.model.registry.ManagedInstanceRecord;
import io.stopplane.model.registry.RegistryEvent;
import io.stopplane.model.registry.RegistryFold;
import io.stopplane.model.registry.RegistryKeys;
import io.stopplane.model.registry.RegistryRecord;
import io.stopplane.model.registry.RegistryState;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API's read view of {@code agent-registry}: activations and managed instances (registration verdicts are the
 * gateway's business and are not kept). Besides the topic, it holds what this API instance itself just wrote, folded
 * with the same {@link RegistryFold} the dispatcher runs, so a client reads its own writes at once; the topic's copy
 * replaces the local one as soon as it is as new (a higher or equal {@code version}).
 */
public class RegistryView {

    private final Map<String, ActivationRecord> activations = new ConcurrentHashMap<>();
    private final Map<InstanceId, ManagedInstanceRecord> instances = new ConcurrentHashMap<>();
    /** Activations this instance deleted, with their last version: an older record read late must not revive one. */
    private final Map<String, Long> deleted = new ConcurrentHashMap<>();
    private volatile boolean ready;

    public Optional<ActivationRecord> activation(String activationId) {
        return Optional.ofNullable(activations.get(activationId));
    }

    public Collection<ActivationRecord> activations() {
        return activations.values();
    }

    public Optional<ManagedInstanceRecord> instance(InstanceId instanceId) {
        return Optional.ofNullable(instances.get(instanceId));
    }

    public Collection<ManagedInstanceRecord> instances() {
        return instances.values();
    }

    /** False until the topic has been read to the end it had at start-up: a miss then proves nothing. */
    public boolean ready() {
        return ready;
    }

    void markReady() {
        ready = true;
    }

    /** A record read from the topic. */
    void put(String key, RegistryRecord record) {
        if (record instanceof ActivationRecord a) {
            Long gone = deleted.get(a.activationId());
            if (gone == null || a.version() > gone) {
                activations.merge(a.activationId(), a, (old, neu) -> neu.version() >= old.version() ? neu : old);
            }
        } else if (record instanceof ManagedInstanceRecord i) {
            instances.merge(i.instanceId(), i, (old, neu) -> neu.version() >= old.version() ? neu : old);
        }
    }

    /** A tombstone read from the topic. */
    void remove(String key) {
        if (key.startsWith(RegistryKeys.ACTIVATION)) {
            String id = key.substring(RegistryKeys.ACTIVATION.length());
            activations.remove(id);
            deleted.remove(id);
        } else if (key.startsWith(RegistryKeys.INSTANCE) && InstanceId.isValid(key.substring(
                RegistryKeys.INSTANCE.length()))) {
            instances.remove(InstanceId.of(key.substring(RegistryKeys.INSTANCE.length())));
        }
    }

    /**
     * An event this instance has just written (durably), folded here on what the view holds of its activation so the
     * writer reads it back before the dispatcher's records arrive; kept only while newer than what the view has.
     */
    public void applyOwn(RegistryEvent event) {
        ActivationRecord activation = activations.get(event.activationId());
        List<ManagedInstanceRecord> registered = instances.values().stream()
                .filter(i -> i.activationId().equals(event.activationId())).toList();
        RegistryState state = new RegistryState(event.activationId(), activation, false, registered, Map.of(),
                List.of());
        RegistryFold.Result result = RegistryFold.apply(state, event);
        result.records().forEach(r -> put(r.key(), r));
        for (String key : result.tombstones()) {
            if (activation != null && key.equals(activation.key())) {
                deleted.put(activation.activationId(), activation.version());
                activations.remove(activation.activationId());
            }
        }
    }
}
