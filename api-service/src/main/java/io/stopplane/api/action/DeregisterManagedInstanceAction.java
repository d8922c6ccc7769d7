package io.stopplane.api.action;

import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.registry.ManagedInstanceDeregistered;
import io.stopplane.model.registry.ManagedInstanceRecord;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * DeregisterManagedInstance: revokes the instance's identity for good. From the answer on, this API refuses it as a
 * RunCommand target; the gateways disconnect it once they read the record (seconds) and never let it connect again.
 * Answers with the instance as it was.
 */
@Component
class DeregisterManagedInstanceAction implements ActionHandler {

    private final RegistryWrites writes;
    private final RegistryView registry;

    DeregisterManagedInstanceAction(RegistryWrites writes) {
        this.writes = writes;
        this.registry = writes.registry();
    }

    @Override
    public String action() {
        return "DeregisterManagedInstance";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = writes.region(request);
        InstanceId id = ManagedInstances.instanceId(request);
        Caller caller = writes.authorize(request, region);
        ManagedInstanceRecord instance = ManagedInstances.require(registry, region, caller, id);
        ManagedInstanceDeregistered event = new ManagedInstanceDeregistered(UUID.randomUUID().toString(),
                instance.activationId(), RegistryWrites.now(), id, caller);
        writes.write(event);
        return Map.of("Instance", ManagedInstances.render(instance));
    }
}
