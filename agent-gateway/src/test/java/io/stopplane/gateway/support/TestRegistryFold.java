package io.stopplane.gateway.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.registry.ActivationRecord;
import io.stopplane.model.registry.ManagedInstanceRecord;
import io.stopplane.model.registry.RegistrationOutcome;
import io.stopplane.model.registry.RegistrationRequested;
import io.stopplane.model.registry.RegistryEvent;
import io.stopplane.model.sign.Hashing;
import io.stopplane.model.topic.Topics;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the dispatcher's registry fold (another module, which this one must not depend on): it writes
 * activations to {@code agent-registry} and answers each {@link RegistrationRequested} the gateway writes to
 * {@code registry-events} with a {@link ManagedInstanceRecord} and a {@link RegistrationOutcome}, accepting a request
 * whose code hash matches a live activation's. Only what the gateway's tests need: the real limits are the fold's.
 */
public final class TestRegistryFold {

    public static final String ACCOUNT = "1234567890";
    public static final RegionId REGION = RegionId.of("cn-hangzhou");

    private final TestBroker broker;
    private final Map<String, ActivationRecord> activations = new ConcurrentHashMap<>();
    private final Map<InstanceId, ManagedInstanceRecord> instances = new ConcurrentHashMap<>();

    public TestRegistryFold(TestBroker broker) {
        this.broker = broker;
        broker.onRecord(r -> {
            if (r.topic().equals(Topics.REGISTRY_EVENTS.name())
                    && StopPlaneJson.mapper().readValue(r.value(), RegistryEvent.class)
                            instanceof RegistrationRequested request) {
                decide(request);
            }
        });
    }

    /** A new activation with this code; returns its id. */
    public String activation(String code, boolean disabled) {
        String id = "act-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        ActivationRecord a = new ActivationRecord(id, ACCOUNT, REGION, "test", 10, 0, 0, now,
                now.plusSeconds(3600), null, "for tests", Hashing.sha256Hex(code.getBytes(UTF_8)), disabled, 1);
        activations.put(id, a);
        broker.registry(a);
        return id;
    }

    private void decide(RegistrationRequested r) {
        ActivationRecord a = activations.get(r.activationId());
        String error = a == null ? "InvalidActivation.NotFound"
                : !a.codeHash().equals(r.codeHash()) ? "InvalidActivationCode"
                : a.disabled() ? "Activation.Disabled" : null;
        Instant now = Instant.now();
        if (error == null) {
            ManagedInstanceRecord m = new ManagedInstanceRecord(r.instanceId(), r.activationId(), a.accountId(),
                    a.regionId(), a.instanceName(), r.publicKey(), r.keyAlgorithm(), r.hostname(), r.osType(),
                    r.agentVersion(), r.remoteAddress(), now, false, null, 1);
            instances.put(m.instanceId(), m);
            broker.registry(m);
        }
        broker.registry(new RegistrationOutcome(r.requestId(), r.activationId(), error == null ? r.instanceId() : null,
                error, error == null ? null : "refused by the test fold: " + error, now));
    }

    /** DeregisterManagedInstance, as the fold records it. */
    public void deregister(String instanceId) {
        ManagedInstanceRecord m = instances.get(InstanceId.of(instanceId));
        ManagedInstanceRecord gone = new ManagedInstanceRecord(m.instanceId(), m.activationId(), m.accountId(),
                m.regionId(), m.instanceName(), m.publicKey(), m.keyAlgorithm(), m.hostname(), m.osType(),
                m.agentVersion(), m.ipAddress(), m.registrationTime(), true, Instant.now(), m.version() + 1);
        instances.put(gone.instanceId(), gone);
        broker.registry(gone);
    }

    /** The stored record of an instance, as the registry has it. */
    public ManagedInstanceRecord instance(String instanceId) {
        return instances.get(InstanceId.of(instanceId));
    }
}
