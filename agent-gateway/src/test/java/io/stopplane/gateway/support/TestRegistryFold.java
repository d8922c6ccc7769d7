package io.stopplane.gateway.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.registry.ActivationCreated;
import io.stopplane.model.registry.ActivationDisabled;
import io.stopplane.model.registry.ManagedInstanceDeregistered;
import io.stopplane.model.registry.ManagedInstanceRecord;
import io.stopplane.model.registry.RegistryEvent;
import io.stopplane.model.registry.RegistryFold;
import io.stopplane.model.registry.RegistryRecord;
import io.stopplane.model.registry.RegistryState;
import io.stopplane.model.sign.Hashing;
import io.stopplane.model.topic.TopicRecord;
import io.stopplane.model.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry's writers as the gateway's tests need them: the api-service's part (ActivationCreated,
 * ActivationDisabled, ManagedInstanceDeregistered on {@code registry-events}) and the dispatcher's fold, run here with
 * the real pure {@link RegistryFold} on every event of {@code registry-events} (the gateway's RegistrationRequested
 * among them), its records written to {@code agent-registry}. Only the dispatcher's exactly-once is left out: this
 * module must not depend on the dispatcher's.
 */
public final class TestRegistryFold {

    public static final String ACCOUNT = "1234567890";
    public static final RegionId REGION = RegionId.of("cn-hangzhou");

    private final TestBroker broker;
    private final Map<String, RegistryState> states = new ConcurrentHashMap<>();
    private final Map<InstanceId, ManagedInstanceRecord> instances = new ConcurrentHashMap<>();

    public TestRegistryFold(TestBroker broker) {
        this.broker = broker;
        broker.onRecord(r -> {
            if (r.topic().equals(Topics.REGISTRY_EVENTS.name())) {
                fold(StopPlaneJson.mapper().readValue(r.value(), RegistryEvent.class));
            }
        });
    }

    private void fold(RegistryEvent event) {
        RegistryFold.Result result = RegistryFold.apply(states.get(event.activationId()), event);
        states.put(event.activationId(), result.state());
        for (RegistryRecord record : result.records()) {
            if (record instanceof ManagedInstanceRecord m) {
                instances.put(m.instanceId(), m);
            }
            broker.registry(record);
        }
        result.tombstones().forEach(key -> broker.send(Topics.AGENT_REGISTRY.name(), key, null));
    }

    /** A live activation for 10 instances with this code; returns its id. */
    public String activation(String code) {
        return activation(code, 10, Duration.ofHours(1), null);
    }

    /** CreateActivation, as the api-service writes it; returns its id. */
    public String activation(String code, int instanceCount, Duration timeToLive, String ipAddressRange) {
        String id = "act-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        write(new ActivationCreated(UUID.randomUUID().toString(), id, now, ACCOUNT, REGION, "test", instanceCount,
                now.plus(timeToLive), ipAddressRange, "for tests", Hashing.sha256Hex(code.getBytes(UTF_8)), null));
        return id;
    }

    public void disable(String activationId) {
        write(new ActivationDisabled(UUID.randomUUID().toString(), activationId, Instant.now(), null));
    }

    /** DeregisterManagedInstance, as the api-service writes it. */
    public void deregister(String instanceId) {
        ManagedInstanceRecord m = instances.get(InstanceId.of(instanceId));
        write(new ManagedInstanceDeregistered(UUID.randomUUID().toString(), m.activationId(), Instant.now(),
                m.instanceId(), null));
    }

    /** The latest record of an instance, as the fold wrote it. */
    public ManagedInstanceRecord instance(String instanceId) {
        return instances.get(InstanceId.of(instanceId));
    }

    private void write(RegistryEvent event) {
        broker.send(TopicRecord.of(event));
    }
}
