package io.stopplane.model.registry;

import io.stopplane.model.sign.Hashing;
import java.lang.System.Logger.Level;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The pure fold of {@code registry-events} into the registry: per activation id, {@code (state, event) → (state,
 * records to write to agent-registry, keys to tombstone)}. The dispatcher runs it exactly once per event; the API runs
 * it on its own writes so a client reads them back at once. It is the one place a registration is decided: against the
 * activation's code hash, flags, expiry (the event's server time against {@code expiresAt}), count and address range.
 * It never throws on a legal stream: an event that changes nothing (a duplicate, an unknown target) writes nothing.
 */
public final class RegistryFold {

    private static final System.Logger LOG = System.getLogger(RegistryFold.class.getName());

    /** The next state and what to write: {@code records} by their {@link RegistryRecord#key()}, then tombstones. */
    public record Result(RegistryState state, List<RegistryRecord> records, List<String> tombstones) {

        public Result {
            records = List.copyOf(records);
            tombstones = List.copyOf(tombstones);
        }

        static Result unchanged(RegistryState state) {
            return new Result(state, List.of(), List.of());
        }

        public boolean changed() {
            return !records.isEmpty() || !tombstones.isEmpty();
        }
    }

    private RegistryFold() {
    }

    /** {@code state} may be null (nothing seen for this activation id yet). */
    public static Result apply(RegistryState state, RegistryEvent event) {
        RegistryState current = state == null ? RegistryState.empty(event.activationId()) : state;
        if (!current.activationId().equals(event.activationId())) {
            LOG.log(Level.WARNING, "activationId={0} event {1} for another activation ignored", current.activationId(),
                    event.eventId());
            return Result.unchanged(current);
        }
        if (current.seen(event.eventId())) {
            LOG.log(Level.DEBUG, "activationId={0} duplicate event {1} ignored", event.activationId(), event.eventId());
            return Result.unchanged(current);
        }
        Result result = fold(current, event);
        return new Result(result.state().remember(event.eventId()), result.records(), result.tombstones());
    }

    private static Result fold(RegistryState s, RegistryEvent event) {
        if (event instanceof ActivationCreated e) {
            return created(s, e);
        }
        if (event instanceof ActivationDisabled e) {
            return disabled(s, e);
        }
        if (event instanceof ActivationDeleted e) {
            return deleted(s, e);
        }
        if (event instanceof RegistrationRequested e) {
            return RegistrationDecision.decide(s, e);
        }
        if (event instanceof ManagedInstanceModified e) {
            return modified(s, e);
        }
        return deregistered(s, (ManagedInstanceDeregistered) event);
    }

    private static Result created(RegistryState s, ActivationCreated e) {
        if (s.activation() != null || s.deleted()) {
            LOG.log(Level.WARNING, "activationId={0} second ActivationCreated {1} ignored", e.activationId(),
                    e.eventId());
            return Result.unchanged(s);
        }
        ActivationRecord a = new ActivationRecord(e.activationId(), e.accountId(), e.regionId(), e.instanceName(),
                e.instanceCount(), 0, 0, e.occurredAt(), e.expiresAt(), e.ipAddressRange(), e.description(),
                e.codeHash(), false, 1);
        LOG.log(Level.INFO, "activationId={0} created, {1} instances", e.activationId(), e.instanceCount());
        return new Result(s.withActivation(a, false), List.of(a), List.of());
    }

    private static Result disabled(RegistryState s, ActivationDisabled e) {
        ActivationRecord a = s.activation();
        if (a == null || a.disabled()) {
            return Result.unchanged(s);
        }
        ActivationRecord next = disable(a);
        LOG.log(Level.INFO, "activationId={0} disabled", e.activationId());
        return new Result(s.withActivation(next, false), List.of(next), List.of());
    }

    /**
     * Deleted only while no instance registered with it is still registered (as Alibaba's DeleteActivation). The API
     * checks that first; should a registration have won the race, the activation is disabled instead, the safe half
     * of what the caller asked for.
     */
    private static Result deleted(RegistryState s, ActivationDeleted e) {
        ActivationRecord a = s.activation();
        if (a == null) {
            return Result.unchanged(s);
        }
        if (s.registered() > 0) {
            LOG.log(Level.WARNING, "activationId={0} delete with {1} instances still registered: disabled instead",
                    e.activationId(), s.registered());
            return a.disabled() ? Result.unchanged(s) : disabled(s, new ActivationDisabled(e.eventId(),
                    e.activationId(), e.occurredAt(), e.caller()));
        }
        LOG.log(Level.INFO, "activationId={0} deleted", e.activationId());
        return new Result(s.withActivation(null, true), List.of(), List.of(a.key()));
    }

    private static Result modified(RegistryState s, ManagedInstanceModified e) {
        Optional<ManagedInstanceRecord> found = s.instance(e.instanceId().value()).filter(i -> !i.deregistered());
        if (found.isEmpty() || e.instanceName() == null || e.instanceName().equals(found.get().instanceName())) {
            return Result.unchanged(s);
        }
        ManagedInstanceRecord i = found.get();
        ManagedInstanceRecord next = new ManagedInstanceRecord(i.instanceId(), i.activationId(), i.accountId(),
                i.regionId(), e.instanceName(), i.publicKey(), i.keyAlgorithm(), i.hostname(), i.osType(),
                i.agentVersion(), i.ipAddress(), i.registrationTime(), false, null, i.version() + 1);
        return new Result(s.withInstance(next), List.of(next), List.of());
    }

    private static Result deregistered(RegistryState s, ManagedInstanceDeregistered e) {
        Optional<ManagedInstanceRecord> found = s.instance(e.instanceId().value()).filter(i -> !i.deregistered());
        if (found.isEmpty()) {
            return Result.unchanged(s);
        }
        ManagedInstanceRecord i = found.get();
        ManagedInstanceRecord next = new ManagedInstanceRecord(i.instanceId(), i.activationId(), i.accountId(),
                i.regionId(), i.instanceName(), i.publicKey(), i.keyAlgorithm(), i.hostname(), i.osType(),
                i.agentVersion(), i.ipAddress(), i.registrationTime(), true, e.occurredAt(), i.version() + 1);
        LOG.log(Level.INFO, "activationId={0} instanceId={1} deregistered", e.activationId(), e.instanceId());
        RegistryState state = s.withInstance(next);
        ActivationRecord a = s.activation();
        if (a == null) {
            return new Result(state, List.of(next), List.of());
        }
        ActivationRecord counted = new ActivationRecord(a.activationId(), a.accountId(), a.regionId(),
                a.instanceName(), a.instanceCount(), a.registeredCount(), a.deregisteredCount() + 1, a.creationTime(),
                a.expiresAt(), a.ipAddressRange(), a.description(), a.codeHash(), a.disabled(), a.version() + 1);
        return new Result(state.withActivation(counted, false), List.of(next, counted), List.of());
    }

    static ActivationRecord disable(ActivationRecord a) {
        return new ActivationRecord(a.activationId(), a.accountId(), a.regionId(), a.instanceName(),
                a.instanceCount(), a.registeredCount(), a.deregisteredCount(), a.creationTime(), a.expiresAt(),
                a.ipAddressRange(), a.description(), a.codeHash(), true, a.version() + 1);
    }

    /** Whether {@code publicKey} is a base64 X.509 SubjectPublicKeyInfo of an Ed25519 key. */
    static boolean validPublicKey(String keyAlgorithm, String publicKey) {
        if (!"Ed25519".equals(keyAlgorithm)) {
            return false;
        }
        try {
            KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
                    .decode(publicKey)));
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    static boolean codeMatches(ActivationRecord a, String codeHash) {
        return Hashing.constantTimeEquals(a.codeHash(), codeHash);
    }
}
