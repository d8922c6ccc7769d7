package io.stopplane.api.support;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.registry.RegistrationRequested;
import io.stopplane.model.sign.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** What a gateway writes when an agent registers with an activation code. */
public final class Gateways {

    private Gateways() {
    }

    public static RegistrationRequested registration(String activationId, String code, String instanceId,
            String remoteAddress) {
        return new RegistrationRequested(UUID.randomUUID().toString(), activationId, Instant.now(),
                UUID.randomUUID().toString(), InstanceId.of(instanceId),
                Hashing.sha256Hex(code.getBytes(StandardCharsets.UTF_8)), publicKey(), "Ed25519", remoteAddress,
                "host-" + instanceId, "linux", "0.1.0", "gw-test");
    }

    private static String publicKey() {
        try {
            return Base64.getEncoder().encodeToString(
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
