package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.registry.RegistryPublisher;
import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.registry.ActivationDeleted;
import io.stopplane.model.registry.ActivationRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * DeleteActivation: only an activation none of whose instances is still registered (else 403 ActivationId.InUse:
 * deregister them first). The registry fold checks again; should a registration have won the race, it disables the
 * activation instead of deleting it. Answers with the activation as it was.
 */
@Component
class DeleteActivationAction implements ActionHandler {

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final RegistryPublisher publisher;
    private final RegistryView registry;

    DeleteActivationAction(Regions regions, ActionAuthorizer authorizer, RegistryPublisher publisher,
            RegistryView registry) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.publisher = publisher;
        this.registry = registry;
    }

    @Override
    public String action() {
        return "DeleteActivation";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        String activationId = Activations.activationId(request);
        regions.requireCloudAssistant(region);
        Caller caller = authorizer.authorize(request);
        ActivationRecord activation = Activations.require(registry, region, caller, activationId);
        boolean inUse = registry.instances().stream()
                .anyMatch(i -> i.activationId().equals(activationId) && !i.deregistered());
        if (inUse || activation.registeredCount() > activation.deregisteredCount()) {
            throw new ApiException(ApiError.ACTIVATION_IN_USE);
        }
        ActivationDeleted event = new ActivationDeleted(UUID.randomUUID().toString(), activationId,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), caller);
        publisher.publish(event);
        registry.applyOwn(event);
        return Map.of("Activation", Activations.render(activation));
    }
}
