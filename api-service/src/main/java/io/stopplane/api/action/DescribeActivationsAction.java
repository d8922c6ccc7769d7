package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.ItemList;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.registry.ActivationRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * DescribeActivations: the caller's activations in the region, newest first, filtered by {@code ActivationId} and
 * {@code InstanceName}; {@code ActivationList} is a JSON array, as in Alibaba's answer. An id that matches nothing
 * gives an empty list, not an error.
 */
@Component
class DescribeActivationsAction implements ActionHandler {

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final RegistryView registry;

    DescribeActivationsAction(Regions regions, ActionAuthorizer authorizer, RegistryView registry) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.registry = registry;
    }

    @Override
    public String action() {
        return "DescribeActivations";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        Optional<String> activationId = request.optional("ActivationId");
        Optional<String> instanceName = request.optional("InstanceName");
        Paging paging = Paging.read(request, 10, 50);
        regions.requireCloudAssistant(region);
        Caller caller = authorizer.authorize(request);
        List<ActivationRecord> rows = Activations.visible(registry, region, caller)
                .filter(a -> activationId.isEmpty() || activationId.get().equals(a.activationId()))
                .filter(a -> instanceName.isEmpty() || instanceName.get().equals(a.instanceName()))
                .sorted((x, y) -> key(x).compareTo(key(y)))
                .toList();
        Paging.Page<ActivationRecord> page = paging.apply(after -> rows.stream(), rows.size(), DescribeActivationsAction::key);
        Map<String, Object> body = new LinkedHashMap<>();
        paging.describe(body, page);
        body.put("ActivationList", new ItemList("Activation",
                page.rows().stream().map(Activations::render).toList()));
        return body;
    }

    private static RowKey key(ActivationRecord a) {
        return new RowKey(a.creationTime().toEpochMilli(), a.activationId(), 0);
    }
}
