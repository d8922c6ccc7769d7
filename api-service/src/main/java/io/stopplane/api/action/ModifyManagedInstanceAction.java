package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.registry.RegistryPublisher;
import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.registry.ManagedInstanceModified;
import io.stopplane.model.registry.ManagedInstanceRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** ModifyManagedInstance: renames one of the caller's managed instances (the only change Alibaba allows). */
@Component
class ModifyManagedInstanceAction implements ActionHandler {

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final RegistryPublisher publisher;
    private final RegistryView registry;

    ModifyManagedInstanceAction(Regions regions, ActionAuthorizer authorizer, RegistryPublisher publisher,
            RegistryView registry) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.publisher = publisher;
        this.registry = registry;
    }

    @Override
    public String action() {
        return "ModifyManagedInstance";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        InstanceId id = ManagedInstances.instanceId(request);
        String name = InstanceNames.check(request.required("InstanceName"), 128);
        regions.requireCloudAssistant(region);
        Caller caller = authorizer.authorize(request);
        ManagedInstanceRecord instance = ManagedInstances.require(registry, region, caller, id);
        if (!name.equals(instance.instanceName())) {
            ManagedInstanceModified event = new ManagedInstanceModified(UUID.randomUUID().toString(),
                    instance.activationId(), Instant.now().truncatedTo(ChronoUnit.MILLIS), id, name, caller);
            publisher.publish(event);
            registry.applyOwn(event);
        }
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("InstanceId", id.value());
        shown.put("InstanceName", name);
        return Map.of("Instance", shown);
    }
}
