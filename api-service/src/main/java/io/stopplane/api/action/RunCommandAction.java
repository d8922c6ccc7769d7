package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.publish.EventPublisher;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * RunCommand: creates an invocation and sends a run to each of its instances, in one transaction. Checks, in order:
 * parameters, region, Cloud Assistant in the region, instance count, permission, ClientToken, registered targets.
 */
@Component
class RunCommandAction implements ActionHandler {

    static final int MAX_INSTANCES = 100;

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final ClientTokens tokens;
    private final Targets targets;
    private final EventPublisher publisher;
    private final InvocationView view;
    private final Duration deliveryTimeout;

    RunCommandAction(Regions regions, ActionAuthorizer authorizer, ClientTokens tokens, Targets targets,
            EventPublisher publisher, InvocationView view, ApiProperties props) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.tokens = tokens;
        this.targets = targets;
        this.publisher = publisher;
        this.view = view;
        this.deliveryTimeout = props.deliveryTimeout();
    }

    @Override
    public String action() {
        return "RunCommand";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RunCommandParameters p = RunCommandParameters.read(request, regions);
        regions.requireCloudAssistant(p.regionId());
        InstanceIds.requireAtMost(p.instances(), MAX_INSTANCES);
        Caller caller = authorizer.authorize(request);
        InvocationState state = tokens.once(caller, p.clientToken(), p.digest(), () -> create(p, caller));
        return Map.of("CommandId", state.command().commandId().value(), "InvokeId", state.invokeId().value());
    }

    private InvocationState create(RunCommandParameters p, Caller caller) {
        requireRegistered(p, caller);
        // With a token, a retry after a publish whose outcome is unknown has the same ids, on any replica (see
        // ClientTokens): should both commits go through, the second is a duplicate of the first, not a second
        // invocation.
        ClientTokens.Ids ids = ClientTokens.ids(caller, p.clientToken(), p.digest());
        CommandSpec spec = p.spec(ids.commandId(), deliveryTimeout);
        InvokeId invokeId = ids.invokeId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        InvocationCreated created = new InvocationCreated(UUID.randomUUID().toString(), invokeId, now, p.regionId(),
                spec, p.instances(), caller, p.clientToken(), p.digest());
        List<RunCommand> runs = p.instances().stream()
                .map(id -> new RunCommand(UUID.randomUUID().toString(), invokeId, id, now, spec))
                .toList();
        try {
            publisher.publish(created, runs);
        } catch (RuntimeException e) {
            tokens.unconfirmed(caller, p.clientToken(), p.digest());
            throw e;
        }
        tokens.confirmed(caller, p.clientToken());
        InvocationState state = InvocationFold.apply(null, created);
        view.created(state);
        return state;
    }

    /** A target must be an instance whose agent is known in this region, of this account (see {@link Targets}). */
    private void requireRegistered(RunCommandParameters p, Caller caller) {
        for (InstanceId id : p.instances()) {
            if (!targets.targetable(id, p.regionId(), caller)) {
                throw Lookup.missing(targets.ready(), ApiError.INVALID_INSTANCE);
            }
        }
    }
}
