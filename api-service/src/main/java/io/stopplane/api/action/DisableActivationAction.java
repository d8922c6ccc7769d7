package io.stopplane.api.action;

import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.registry.ActivationDisabled;
import io.stopplane.model.registry.ActivationRecord;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * DisableActivation: no further registration with the code; instances already registered stay. Disabling a disabled
 * activation changes nothing and writes nothing. Answers with the activation as it now is.
 */
@Component
class DisableActivationAction implements ActionHandler {

    private final RegistryWrites writes;
    private final RegistryView registry;

    DisableActivationAction(RegistryWrites writes) {
        this.writes = writes;
        this.registry = writes.registry();
    }

    @Override
    public String action() {
        return "DisableActivation";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = writes.region(request);
        String activationId = Activations.activationId(request);
        Caller caller = writes.authorize(request, region);
        ActivationRecord activation = Activations.require(registry, region, caller, activationId);
        if (!activation.disabled()) {
            ActivationDisabled event = new ActivationDisabled(RegistryWrites.eventId(), activationId,
                    RegistryWrites.now(), caller);
            writes.write(event);
        }
        return Map.of("Activation", Activations.render(registry.activation(activationId).orElse(activation)));
    }
}
