package io.stopplane.api.action;

import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.library.CommandLibrary;
import io.stopplane.api.publish.EventPublisher;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.library.CommandTemplate;
import io.stopplane.model.library.LibraryCommand;
import io.stopplane.model.schedule.RepeatMode;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Creates an invocation, for RunCommand and InvokeCommand alike: checks the targets, then publishes, in one
 * transaction, the invocation and one run per target. A command with parameters is resolved here, per target: each
 * run carries the content its instance runs ({@code {{ACS::InstanceId}}} its own id), and the invocation the content
 * as written with the values, from which each target's content follows ({@link CommandTemplate#resolve}).
 */
@Component
class Invocations {

    private final ClientTokens tokens;
    private final Targets targets;
    private final EventPublisher publisher;
    private final InvocationView view;
    private final CommandLibrary library;
    private final Duration deliveryTimeout;

    Invocations(ClientTokens tokens, Targets targets, EventPublisher publisher, InvocationView view,
            CommandLibrary library, ApiProperties props) {
        this.tokens = tokens;
        this.targets = targets;
        this.publisher = publisher;
        this.view = view;
        this.library = library;
        this.deliveryTimeout = props.deliveryTimeout();
    }

    /**
     * Once per ClientToken (see {@link ClientTokens}); a DryRun checks the targets too, then answers DryRunOperation.
     *
     * @param commandId the library command invoked; null: the command is the invocation's own (RunCommand), with an
     *     id of its own, saved to the library too when {@code KeepCommand}
     */
    InvocationState create(RunCommandParameters p, Caller caller, CommandId commandId) {
        if (p.mode() == RepeatMode.DRY_RUN) {
            // Every check passed, the targets' too: ECS's DryRun answer, with nothing published, saved or remembered.
            requireRegistered(p, caller);
            throw new ApiException(ApiError.DRY_RUN_OPERATION);
        }
        return tokens.once(caller, p.clientToken(), p.digest(), () -> publish(p, caller, commandId));
    }

    private InvocationState publish(RunCommandParameters p, Caller caller, CommandId invoked) {
        requireRegistered(p, caller);
        // With a token, a retry after a publish whose outcome is unknown has the same ids, on any replica (see
        // ClientTokens): should both commits go through, the second is a duplicate of the first, not a second
        // invocation.
        ClientTokens.Ids ids = ClientTokens.ids(caller, p.clientToken(), p.digest());
        CommandSpec spec = p.spec(invoked == null ? ids.commandId() : invoked, deliveryTimeout);
        InvokeId invokeId = ids.invokeId();
        Instant now = RegistryWrites.now();
        if (p.keepCommand()) {
            library.write(kept(p, spec, caller, now));
        }
        InvocationCreated created = new InvocationCreated(UUID.randomUUID().toString(), invokeId, now, p.regionId(),
                spec, p.instances(), caller, p.clientToken(), p.digest(), p.parameters(), p.schedule());
        // A schedule's runs are the dispatcher's to issue, each when it falls due.
        List<RunCommand> runs = p.schedule() != null ? List.of() : p.instances().stream()
                .map(id -> new RunCommand(UUID.randomUUID().toString(), invokeId, id, now,
                        CommandTemplate.forTarget(spec, p.parameters(),
                                new CommandTemplate.Target(id, invokeId, spec.commandId(), p.regionId()))))
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

    /** RunCommand's command as KeepCommand saves it; a retry with the same token saves the same id again. */
    private static LibraryCommand kept(RunCommandParameters p, CommandSpec spec, Caller caller, Instant now) {
        String name = p.name() == null ? spec.commandId().value() : p.name();
        return new LibraryCommand(spec.commandId(), caller.accountId(), p.regionId(), name, p.description(),
                p.type(), p.content(), p.timeoutSeconds(), p.workingDir(), p.parameters() != null,
                p.parameters() == null ? List.of() : CommandTemplate.parameterNames(p.content()), now, now, false,
                caller, 1);
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
