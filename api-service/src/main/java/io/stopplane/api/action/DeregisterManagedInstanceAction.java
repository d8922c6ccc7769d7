package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.registry.RegistryPublisher;
import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.registry.ManagedInstanceDeregistered;
import io.stopplane.model.registry.ManagedInstanceRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final RegistryPublisher publisher;
    private final RegistryView registry;

    DeregisterManagedInstanceAction(Regions regions, ActionAuthorizer authorizer, RegistryPublisher publisher,
            RegistryView registry) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.publisher = publisher;
        this.registry = registry;
    }

    @Override
    public String action() {
        return "DeregisterManagedInstance";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        InstanceId id = ManagedInstances.instanceId(request);
        regions.requireCloudAssistant(region);
        Caller caller = authorizer.authorize(request);
        ManagedInstanceRecord instance = ManagedInstances.require(registry, region, caller, id);
        ManagedInstanceDeregistered event = new ManagedInstanceDeregistered(UUID.randomUUID().toString(),
                instance.activationId(), Instant.now().truncatedTo(ChronoUnit.MILLIS), id, caller);
        publisher.publish(event);
        registry.applyOwn(event);
        return Map.of("Instance", ManagedInstances.render(instance));
    }
}
