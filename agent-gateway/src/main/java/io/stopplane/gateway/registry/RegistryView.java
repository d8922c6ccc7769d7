package io.stopplane.gateway.registry;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.registry.ActivationRecord;
import io.stopplane.model.registry.ManagedInstanceRecord;
import io.stopplane.model.registry.RegistrationOutcome;
import io.stopplane.model.registry.RegistryKeys;
import io.stopplane.model.registry.RegistryRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What the gateway knows of {@code agent-registry}: the activations (for the registration pre-check) and the managed
 * instances with their public keys (for the handshake). Registration verdicts are not kept: only the ones a request on
 * this gateway waits for are handed over, and the rest are skipped. Whoever must act on a revoked identity (a
 * deregistered or tombstoned instance) is told at once.
 */
public class RegistryView {

    private final Map<String, ActivationRecord> activations = new ConcurrentHashMap<>();
    private final Map<InstanceId, ManagedInstanceRecord> instances = new ConcurrentHashMap<>();
    private final Map<String, Waiter> waiters = new ConcurrentHashMap<>();
    private final List<Consumer<InstanceId>> revocationListeners = new CopyOnWriteArrayList<>();
    private volatile boolean ready;

    /** A registration this gateway asked for: answered once its verdict, and for an accepted one its record, are in. */
    private static final class Waiter {
        final InstanceId instanceId;
        final CompletableFuture<RegistrationOutcome> future = new CompletableFuture<>();
        volatile RegistrationOutcome outcome;

        Waiter(InstanceId instanceId) {
            this.instanceId = instanceId;
        }
    }

    public Optional<ManagedInstanceRecord> instance(InstanceId id) {
        return Optional.ofNullable(instances.get(id));
    }

    public Optional<ActivationRecord> activation(String activationId) {
        return Optional.ofNullable(activations.get(activationId));
    }

    /** False until the topic has been read to the end it had at start-up: an unknown instance proves nothing before. */
    public boolean ready() {
        return ready;
    }

    public void onRevoked(Consumer<InstanceId> listener) {
        revocationListeners.add(listener);
    }

    /**
     * The verdict on a registration about to be requested; call before writing the request. An accepted verdict is
     * handed over only once the instance's record is in too, so the agent's first connection finds its key.
     */
    public CompletableFuture<RegistrationOutcome> awaitOutcome(String requestId, InstanceId proposed) {
        Waiter waiter = new Waiter(proposed);
        waiters.put(requestId, waiter);
        // completed, or given up by the request (timeout, client gone): either way not waited for any more
        waiter.future.whenComplete((o, e) -> waiters.remove(requestId));
        return waiter.future;
    }

    void put(String key, RegistryRecord record) {
        if (record instanceof ActivationRecord a) {
            activations.put(a.activationId(), a);
        } else if (record instanceof ManagedInstanceRecord m) {
            ManagedInstanceRecord previous = instances.put(m.instanceId(), m);
            if (m.deregistered() && (previous == null || !previous.deregistered())) {
                revoked(m.instanceId());
            }
            waiters.values().stream().filter(w -> w.instanceId.equals(m.instanceId())).forEach(this::tryComplete);
        } else if (record instanceof RegistrationOutcome o) {
            Waiter waiter = waiters.get(o.requestId());
            if (waiter != null) {
                waiter.outcome = o;
                tryComplete(waiter);
            }
        }
    }

    private void tryComplete(Waiter waiter) {
        RegistrationOutcome o = waiter.outcome;
        if (o != null && (!o.accepted() || o.instanceId() == null || instances.containsKey(o.instanceId()))) {
            waiter.future.complete(o);
        }
    }

    void remove(String key) {
        if (key.startsWith(RegistryKeys.ACTIVATION)) {
            activations.remove(key.substring(RegistryKeys.ACTIVATION.length()));
        } else if (key.startsWith(RegistryKeys.INSTANCE)) {
            String id = key.substring(RegistryKeys.INSTANCE.length());
            if (InstanceId.isValid(id) && instances.remove(InstanceId.of(id)) != null) {
                revoked(InstanceId.of(id));
            }
        }
    }

    void markReady() {
        ready = true;
    }

    private void revoked(InstanceId id) {
        revocationListeners.forEach(l -> l.accept(id));
    }
}
