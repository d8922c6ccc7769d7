package io.stopplane.api.action;

import io.stopplane.api.publish.EventPublisher;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InvocationFold;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** RunCommand: creates an invocation and sends a run to each of its instances. */
@Component
class RunCommandAction implements ActionHandler {

    static final int MAX_CONTENT_BYTES = 24 * 1024;
    private static final Set<String> TYPES = Set.of(CommandSpec.RUN_SHELL_SCRIPT, "RunBatScript", "RunPowerShellScript");

    private final Regions regions;
    private final EventPublisher publisher;
    private final InvocationView view;

    RunCommandAction(Regions regions, EventPublisher publisher, InvocationView view) {
        this.regions = regions;
        this.publisher = publisher;
        this.view = view;
    }

    @Override
    public String action() {
        return "RunCommand";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.require(request);
        String type = request.required("Type");
        if (!TYPES.contains(type)) {
            throw RpcRequest.invalid("Type", "It must be RunShellScript, RunBatScript or RunPowerShellScript.");
        }
        String content = content(request);
        List<InstanceId> instances = InstanceIds.read(request);
        if (instances.isEmpty()) {
            throw new ApiException(ApiError.MISSING_PARAMETER, "InstanceId.1");
        }
        if (instances.size() > 100) {
            throw new ApiException(ApiError.INSTANCE_IDS_EXCEED_LIMIT);
        }
        String terminationMode = request.optional("TerminationMode").orElse(CommandSpec.PROCESS_TREE);
        if (!terminationMode.equals("Process") && !terminationMode.equals(CommandSpec.PROCESS_TREE)) {
            throw RpcRequest.invalid("TerminationMode", "It must be Process or ProcessTree.");
        }
        CommandSpec spec = new CommandSpec(CommandId.random(), request.optional("Name").orElse(null),
                request.optional("Description").orElse(null), type, content,
                request.intParam("Timeout", CommandSpec.DEFAULT_TIMEOUT_SECONDS, 1, 86400),
                request.optional("Username").orElse(null), request.optional("WorkingDir").orElse(null),
                terminationMode);
        InvokeId invokeId = InvokeId.random();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        InvocationCreated created = new InvocationCreated(UUID.randomUUID().toString(), invokeId, now, region, spec,
                instances, new Caller(null, null, request.sourceIp(), request.requestId()));
        List<RunCommand> runs = instances.stream()
                .map(id -> new RunCommand(UUID.randomUUID().toString(), invokeId, id, now, spec))
                .toList();
        publisher.publish(created, runs);
        view.created(InvocationFold.apply(null, created));
        return Map.of("CommandId", spec.commandId().value(), "InvokeId", invokeId.value());
    }

    private static String content(RpcRequest request) {
        String raw = request.required("CommandContent");
        String encoding = request.optional("ContentEncoding").orElse("PlainText");
        String content;
        if (encoding.equalsIgnoreCase("Base64")) {
            try {
                content = new String(Base64.getDecoder().decode(raw.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ApiException(ApiError.INVALID_COMMAND_CONTENT);
            }
        } else if (encoding.equalsIgnoreCase("PlainText")) {
            content = raw;
        } else {
            throw RpcRequest.invalid("ContentEncoding", "It must be PlainText or Base64.");
        }
        int encodedLength = Base64.getEncoder().encode(content.getBytes(StandardCharsets.UTF_8)).length;
        if (encodedLength > MAX_CONTENT_BYTES) {
            throw new ApiException(ApiError.COMMAND_CONTENT_EXCEED_LIMIT);
        }
        return content;
    }
}
