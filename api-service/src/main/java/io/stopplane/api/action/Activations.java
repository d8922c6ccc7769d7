package io.stopplane.api.action;

import io.stopplane.api.auth.Ownership;
import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.registry.ActivationRecord;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The caller's activations in a region, and how an activation is shown (DescribeActivations' fields). */
final class Activations {

    private Activations() {
    }

    static Stream<ActivationRecord> visible(RegistryView registry, RegionId region, Caller caller) {
        return registry.activations().stream()
                .filter(a -> region.equals(a.regionId()) && Ownership.visible(caller, a.accountId()));
    }

    /** {@code ActivationId}: the caller's activation in the region, else 404 ActivationId.NotFound. */
    static ActivationRecord require(RegistryView registry, RegionId region, Caller caller, String activationId) {
        return registry.activation(activationId)
                .filter(a -> region.equals(a.regionId()) && Ownership.visible(caller, a.accountId()))
                .orElseThrow(() -> Lookup.missing(registry.ready(), ApiError.ACTIVATION_NOT_FOUND));
    }

    static String activationId(RpcRequest request) {
        return request.required("ActivationId");
    }

    static Map<String, Object> render(ActivationRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ActivationId", a.activationId());
        m.put("InstanceName", a.instanceName() == null ? "" : a.instanceName());
        m.put("Description", a.description() == null ? "" : a.description());
        m.put("InstanceCount", a.instanceCount());
        m.put("RegisteredCount", a.registeredCount());
        m.put("DeregisteredCount", a.deregisteredCount());
        m.put("Disabled", a.disabled());
        m.put("IpAddressRange", a.ipAddressRange() == null ? "" : a.ipAddressRange());
        m.put("CreationTime", InvocationRenderer.time(a.creationTime()));
        m.put("TimeToLiveInHours", Duration.between(a.creationTime(), a.expiresAt()).toHours());
        return m;
    }
}
