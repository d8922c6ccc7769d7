package io.stopplane.gateway.connect;

import io.stopplane.gateway.identity.ClaimBounds;
import io.stopplane.gateway.identity.PublicKeys;
import io.stopplane.gateway.registry.RegistryView;
import io.stopplane.model.agent.AgentKeys;
import io.stopplane.model.agent.BootIds;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.registry.ManagedInstanceRecord;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The challenge of one connection and the check of its hello: every instance it names must be registered, not
 * deregistered, and signed for with its registered key over this connection's nonce, so a hello captured on another
 * connection proves nothing here.
 */
final class Handshake {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The verdict: the proven instances, or the error that closes the connection. */
    record Verdict(List<InstanceId> proven, String code, String message) {
        static Verdict refused(String code, String message) {
            return new Verdict(List.of(), code, message);
        }

        boolean accepted() {
            return code == null;
        }
    }

    private final String gatewayId;
    private final String nonce;

    Handshake(String gatewayId) {
        this.gatewayId = gatewayId;
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        this.nonce = Base64.getEncoder().encodeToString(bytes);
    }

    Frames.Challenge challenge() {
        return new Frames.Challenge(gatewayId, nonce);
    }

    /** What an agent signs to prove {@code instanceId} on this connection. */
    static byte[] signedMessage(String gatewayId, String nonce, String instanceId) {
        return AgentKeys.signedMessage(gatewayId, nonce, instanceId);
    }

    Verdict check(Frames.Hello hello, RegistryView registry, int maxInstances) {
        if (hello.instances() == null || hello.instances().isEmpty() || hello.instances().size() > maxInstances) {
            return Verdict.refused("Hello.Invalid", "a hello proves 1 to " + maxInstances + " instances");
        }
        try {
            ClaimBounds.check("hostname", hello.hostname(), ClaimBounds.HOSTNAME);
            ClaimBounds.check("agentVersion", hello.agentVersion(), ClaimBounds.AGENT_VERSION);
            ClaimBounds.check("killMethod", hello.killMethod(), ClaimBounds.KILL_METHOD);
        } catch (IllegalArgumentException e) {
            return Verdict.refused("Hello.Invalid", e.getMessage());
        }
        if (hello.bootId() != null && !BootIds.isValid(hello.bootId())) {
            // what the dispatcher runs reboot-mode invocations on: only a well-formed one is passed on
            return Verdict.refused("Hello.Invalid", "bootId must be a boot id: " + BootIds.LENGTH
                    + " characters, a lowercase UUID as /proc/sys/kernel/random/boot_id holds it");
        }
        Set<InstanceId> seen = new LinkedHashSet<>();
        for (Frames.HelloInstance claim : hello.instances()) {
            if (claim == null || !InstanceId.isValid(claim.instanceId()) || claim.signature() == null
                    || !seen.add(InstanceId.of(claim.instanceId()))) {
                return Verdict.refused("Hello.Invalid", "each instance is named once, with a valid id and a signature");
            }
            InstanceId id = InstanceId.of(claim.instanceId());
            ManagedInstanceRecord record = registry.instance(id).orElse(null);
            if (record == null) {
                return Verdict.refused("Instance.Unknown", id + " is not a registered instance");
            }
            if (record.deregistered()) {
                return Verdict.refused("Instance.Deregistered", id + " is deregistered: it can never connect again");
            }
            if (!PublicKeys.verifies(record.keyAlgorithm(), record.publicKey(),
                    signedMessage(gatewayId, nonce, id.value()), claim.signature())) {
                return Verdict.refused("Hello.BadSignature", "the signature for " + id + " is not its registered "
                        + "key's over this connection's challenge");
            }
        }
        return new Verdict(List.copyOf(seen), null, null);
    }
}
