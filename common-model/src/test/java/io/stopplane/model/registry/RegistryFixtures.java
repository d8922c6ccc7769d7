package io.stopplane.model.registry;

import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.sign.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Events of one activation, for the fold's tests. */
final class RegistryFixtures {

    static final String ACTIVATION = "4ECEEE12-56F1-4FBC-9AB1-890F12340001";
    static final String ACCOUNT = "1234567890";
    static final RegionId REGION = RegionId.of("cn-hangzhou");
    static final String CODE = "a-code-of-at-least-128-bits-xxxxxxxxxxxx";
    static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");
    static final Caller CALLER = new Caller(ACCOUNT, "AK1", "127.0.0.1", "req-1");
    static final String PUBLIC_KEY = ed25519();

    private RegistryFixtures() {
    }

    static ActivationCreated created(int count, String range, String prefix) {
        return new ActivationCreated(UUID.randomUUID().toString(), ACTIVATION, T0, ACCOUNT, REGION, prefix, count,
                T0.plus(Duration.ofHours(4)), range, "test", hash(CODE), CALLER);
    }

    static ActivationCreated created(int count) {
        return created(count, null, null);
    }

    static RegistrationRequested register(String instanceId, String code, String from, Instant at) {
        return new RegistrationRequested(UUID.randomUUID().toString(), ACTIVATION, at, UUID.randomUUID().toString(),
                InstanceId.of(instanceId), hash(code), PUBLIC_KEY, "Ed25519", from, "host-" + instanceId, "linux",
                "0.1.0", "gw-1");
    }

    static RegistrationRequested register(String instanceId) {
        return register(instanceId, CODE, "10.0.0.1", T0.plusSeconds(60));
    }

    static ActivationDisabled disable() {
        return new ActivationDisabled(UUID.randomUUID().toString(), ACTIVATION, T0.plusSeconds(120), CALLER);
    }

    static ActivationDeleted delete() {
        return new ActivationDeleted(UUID.randomUUID().toString(), ACTIVATION, T0.plusSeconds(180), CALLER);
    }

    static ManagedInstanceDeregistered deregister(String instanceId) {
        return new ManagedInstanceDeregistered(UUID.randomUUID().toString(), ACTIVATION, T0.plusSeconds(150),
                InstanceId.of(instanceId), CALLER);
    }

    static ManagedInstanceModified rename(String instanceId, String name) {
        return new ManagedInstanceModified(UUID.randomUUID().toString(), ACTIVATION, T0.plusSeconds(140),
                InstanceId.of(instanceId), name, CALLER);
    }

    static String hash(String code) {
        return Hashing.sha256Hex(code.getBytes(StandardCharsets.UTF_8));
    }

    private static String ed25519() {
        try {
            return Base64.getEncoder().encodeToString(
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
