package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.publish.EventPublisher;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.command.StopCommand;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * StopInvocation: records who asked, and sends a stop to each named target that has not finished. Returns once both are
 * durably queued; the agents do the killing. Stopping a stopped or finished target changes nothing. The checks run in
 * the order of the contract: parameters, region, Cloud Assistant in the region, instance count, permission, invocation,
 * targets, dispatch.
 */
@Component
class StopInvocationAction implements ActionHandler {

    static final int MAX_INSTANCES = 50;

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final EventPublisher publisher;
    private final InvocationView view;

    StopInvocationAction(Regions regions, ActionAuthorizer authorizer, EventPublisher publisher, InvocationView view) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.publisher = publisher;
        this.view = view;
    }

    @Override
    public String action() {
        return "StopInvocation";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        InvokeId invokeId = Lookup.invokeId(request);
        List<InstanceId> named = InstanceIds.read(request);
        regions.requireCloudAssistant(region);
        InstanceIds.requireAtMost(named, MAX_INSTANCES);
        Caller caller = authorizer.authorize(request);
        InvocationState state = Lookup.invocation(view, invokeId, region, caller);
        for (InstanceId id : named) {
            if (state.instance(id).isEmpty()) {
                throw new ApiException(ApiError.INVALID_INSTANCE_ID);
            }
        }
        List<InstanceId> targets = named.isEmpty()
                ? state.instances().stream().map(InstanceState::instanceId).toList()
                : named;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<StopCommand> stops = targets.stream()
                .filter(id -> !state.instance(id).orElseThrow().status().isTerminal())
                .map(id -> new StopCommand(UUID.randomUUID().toString(), state.invokeId(), id, now, request.requestId()))
                .toList();
        if (stops.isEmpty()) {
            return Map.of(); // every target already finished or stopped: idempotent, nothing to record
        }
        StopRequested event = new StopRequested(UUID.randomUUID().toString(), state.invokeId(), now,
                stops.stream().map(StopCommand::instanceId).toList(), caller);
        publisher.publish(event, stops);
        view.stopped(event); // read your own stop: Stopping, StopTime = now, until the dispatcher's state includes it
        return Map.of();
    }
}
