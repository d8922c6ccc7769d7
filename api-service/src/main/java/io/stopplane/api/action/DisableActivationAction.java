package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.registry.RegistryPublisher;
import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.registry.ActivationDisabled;
import io.stopplane.model.registry.ActivationRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * DisableActivation: no further registration with the code; instances already registered stay. Disabling a disabled
 * activation changes nothing and writes nothing. Answers with the activation as it now is.
 */
@Component
class DisableActivationAction implements ActionHandler {

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final RegistryPublisher publisher;
    private final RegistryView registry;

    DisableActivationAction(Regions regions, ActionAuthorizer authorizer, RegistryPublisher publisher,
            RegistryView registry) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.publisher = publisher;
        this.registry = registry;
    }

    @Override
    public String action() {
        return "DisableActivation";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        String activationId = Activations.activationId(request);
        regions.requireCloudAssistant(region);
        Caller caller = authorizer.authorize(request);
        ActivationRecord activation = Activations.require(registry, region, caller, activationId);
        if (!activation.disabled()) {
            ActivationDisabled event = new ActivationDisabled(UUID.randomUUID().toString(), activationId,
                    Instant.now().truncatedTo(ChronoUnit.MILLIS), caller);
            publisher.publish(event);
            registry.applyOwn(event);
        }
        return Map.of("Activation", Activations.render(registry.activation(activationId).orElse(activation)));
    }
}
