package io.stopplane.api.action;

import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.registry.ManagedInstanceModified;
import io.stopplane.model.registry.ManagedInstanceRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** ModifyManagedInstance: renames one of the caller's managed instances (the only change Alibaba allows). */
@Component
class ModifyManagedInstanceAction implements ActionHandler {

    private final RegistryWrites writes;
    private final RegistryView registry;

    ModifyManagedInstanceAction(RegistryWrites writes) {
        this.writes = writes;
        this.registry = writes.registry();
    }

    @Override
    public String action() {
        return "ModifyManagedInstance";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = writes.region(request);
        InstanceId id = ManagedInstances.instanceId(request);
        String name = InstanceNames.check(request.required("InstanceName"), 128);
        Caller caller = writes.authorize(request, region);
        ManagedInstanceRecord instance = ManagedInstances.require(registry, region, caller, id);
        if (!name.equals(instance.instanceName())) {
            ManagedInstanceModified event = new ManagedInstanceModified(UUID.randomUUID().toString(),
                    instance.activationId(), RegistryWrites.now(), id, name, caller);
            writes.write(event);
        }
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("InstanceId", id.value());
        shown.put("InstanceName", name);
        return Map.of("Instance", shown);
    }
}
