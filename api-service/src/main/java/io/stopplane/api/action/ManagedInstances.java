package io.stopplane.api.action;

import io.stopplane.api.auth.Ownership;
import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.registry.IpAddressRange;
import io.stopplane.model.registry.ManagedInstanceRecord;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The caller's managed instances in a region, and how one is shown. A deregistered instance is gone from every
 * answer, as at Alibaba (the registry keeps it, so that its identity can never connect again).
 */
final class ManagedInstances {

    private ManagedInstances() {
    }

    static Stream<ManagedInstanceRecord> visible(RegistryView registry, RegionId region, Caller caller) {
        return registry.instances().stream().filter(i -> !i.deregistered() && region.equals(i.regionId())
                && Ownership.visible(caller, i.accountId()));
    }

    /** {@code InstanceId}: well-formed, else 400 InvalidParameter; the caller's, else 404 InvalidInstance.NotFound. */
    static ManagedInstanceRecord require(RegistryView registry, RegionId region, Caller caller, InstanceId id) {
        return registry.instance(id)
                .filter(i -> !i.deregistered() && region.equals(i.regionId())
                        && Ownership.visible(caller, i.accountId()))
                .orElseThrow(() -> Lookup.missing(registry.ready(), ApiError.INVALID_INSTANCE));
    }

    static InstanceId instanceId(RpcRequest request) {
        String raw = request.required("InstanceId");
        if (!InstanceId.isValid(raw)) {
            throw RpcRequest.invalid("InstanceId", "'" + raw + "' is not an instance id.");
        }
        return InstanceId.of(raw);
    }

    /** The address the gateway saw: an intranet one (private, loopback, link-local) or an Internet one. */
    static boolean intranet(String address) {
        // parsed as a literal only (never a look-up), then read as an address
        return IpAddressRange.parse(address).filter(r -> r.prefix() == r.network().length * 8).map(r -> {
            try {
                InetAddress a = InetAddress.getByAddress(r.network());
                return a.isSiteLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress()
                        || (r.network().length == 16 && (r.network()[0] & 0xfe) == 0xfc);
            } catch (UnknownHostException e) {
                return false;
            }
        }).orElse(false);
    }

    /** The fields of DeregisterManagedInstance's {@code Instance} and of DescribeManagedInstances' rows. */
    static Map<String, Object> render(ManagedInstanceRecord i) {
        boolean intranet = intranet(i.ipAddress());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("InstanceId", i.instanceId().value());
        m.put("InstanceName", i.instanceName() == null ? "" : i.instanceName());
        m.put("ActivationId", i.activationId());
        m.put("Hostname", i.hostname() == null ? "" : i.hostname());
        m.put("AgentVersion", i.agentVersion() == null ? "" : i.agentVersion());
        m.put("OsType", i.osType() == null ? "" : i.osType());
        m.put("OsVersion", "");
        m.put("InternetIp", intranet || i.ipAddress() == null ? "" : i.ipAddress());
        m.put("IntranetIp", intranet ? i.ipAddress() : "");
        m.put("MachineId", "");
        m.put("RegistrationTime", InvocationRenderer.time(i.registrationTime()));
        return m;
    }
}
