package io.stopplane.model.registry;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;

/** The registry fold's verdict on one {@link RegistrationRequested}, the rules in the order they are checked. */
final class RegistrationDecision {

    private static final System.Logger LOG = System.getLogger(RegistrationDecision.class.getName());

    private RegistrationDecision() {
    }

    static RegistryFold.Result decide(RegistryState s, RegistrationRequested e) {
        if (s.accepted().containsKey(e.requestId()) || s.seen(e.requestId())) {
            LOG.log(Level.DEBUG, "activationId={0} requestId={1} decided already", e.activationId(), e.requestId());
            return RegistryFold.Result.unchanged(s);
        }
        Optional<RegistrationError> refusal = refusal(s, e);
        if (refusal.isPresent()) {
            RegistrationError why = refusal.get();
            LOG.log(Level.INFO, "activationId={0} requestId={1} instanceId={2} registration refused: {3}",
                    e.activationId(), e.requestId(), e.instanceId(), why.code());
            RegistrationOutcome outcome = new RegistrationOutcome(e.requestId(), e.activationId(), null, why.code(),
                    why.message(), e.occurredAt());
            return new RegistryFold.Result(s.remember(e.requestId()), List.of(outcome), List.of());
        }
        ActivationRecord a = s.activation();
        int number = a.registeredCount() + 1;
        ManagedInstanceRecord instance = new ManagedInstanceRecord(e.instanceId(), a.activationId(), a.accountId(),
                a.regionId(), name(a, number, e), e.publicKey(), e.keyAlgorithm(), e.hostname(), e.osType(),
                e.agentVersion(), e.remoteAddress(), e.occurredAt(), false, null, 1);
        ActivationRecord counted = new ActivationRecord(a.activationId(), a.accountId(), a.regionId(),
                a.instanceName(), a.instanceCount(), number, a.deregisteredCount(), a.creationTime(), a.expiresAt(),
                a.ipAddressRange(), a.description(), a.codeHash(), a.disabled(), a.version() + 1);
        RegistrationOutcome outcome = new RegistrationOutcome(e.requestId(), e.activationId(), e.instanceId(), null,
                null, e.occurredAt());
        LOG.log(Level.INFO, "activationId={0} requestId={1} instanceId={2} registered ({3} of {4})", e.activationId(),
                e.requestId(), e.instanceId(), number, a.instanceCount());
        RegistryState next = s.withInstance(instance).withActivation(counted, false)
                .withAccepted(e.requestId(), e.instanceId().value());
        // The instance and the activation before the outcome: whoever sees it accepted finds the instance already.
        return new RegistryFold.Result(next, List.of(instance, counted, outcome), List.of());
    }

    private static Optional<RegistrationError> refusal(RegistryState s, RegistrationRequested e) {
        ActivationRecord a = s.activation();
        if (a == null) {
            return Optional.of(RegistrationError.NOT_FOUND);
        }
        if (!RegistryFold.codeMatches(a, e.codeHash())) {
            return Optional.of(RegistrationError.WRONG_CODE);
        }
        if (a.disabled()) {
            return Optional.of(RegistrationError.DISABLED);
        }
        if (!e.occurredAt().isBefore(a.expiresAt())) {
            return Optional.of(RegistrationError.EXPIRED);
        }
        if (a.ipAddressRange() != null && !a.ipAddressRange().isBlank()
                && !IpAddressRange.parse(a.ipAddressRange()).map(r -> r.contains(e.remoteAddress())).orElse(false)) {
            return Optional.of(RegistrationError.IP_NOT_ALLOWED);
        }
        if (a.registeredCount() >= a.instanceCount()) {
            return Optional.of(RegistrationError.COUNT_EXCEEDED);
        }
        if (s.instance(e.instanceId().value()).isPresent()) {
            return Optional.of(RegistrationError.INSTANCE_ID_TAKEN);
        }
        if (!RegistryFold.validPublicKey(e.keyAlgorithm(), e.publicKey())) {
            return Optional.of(RegistrationError.INVALID_PUBLIC_KEY);
        }
        return Optional.empty();
    }

    /**
     * Alibaba's naming: with an InstanceName prefix, {@code <prefix>-<number>} with as many digits as InstanceCount has
     * (count 100: {@code web-001}); without, the host's name as the agent gives it.
     */
    static String name(ActivationRecord a, int number, RegistrationRequested e) {
        if (a.instanceName() != null && !a.instanceName().isBlank()) {
            int digits = String.valueOf(a.instanceCount()).length();
            return a.instanceName() + "-" + String.format("%0" + digits + "d", number);
        }
        return e.hostname() == null || e.hostname().isBlank() ? e.instanceId().value() : e.hostname();
    }
}
