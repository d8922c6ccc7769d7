package io.stopplane.api.action;

import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * RunCommand's parameters, read and checked: every malformed or unsupported value is refused here, naming the
 * parameter, before anything else is looked at. What this build cannot do yet is refused rather than ignored whenever
 * ignoring it would run something other than what the caller asked for (see {@link UnsupportedRunOptions}).
 */
record RunCommandParameters(
        RegionId regionId,
        String type,
        String content,
        List<InstanceId> instances,
        int timeoutSeconds,
        String name,
        String description,
        String username,
        String workingDir,
        String terminationMode,
        String clientToken,
        String digest) {

    static final int MAX_CONTENT_BYTES = 24 * 1024;
    static final int MAX_CLIENT_TOKEN = 64;
    private static final Set<String> TYPES =
            Set.of(CommandSpec.RUN_SHELL_SCRIPT, "RunBatScript", "RunPowerShellScript");
    private static final Set<String> TERMINATION_MODES = Set.of("Process", CommandSpec.PROCESS_TREE);

    static RunCommandParameters read(RpcRequest request, Regions regions) {
        RegionId region = regions.parse(request);
        String type = request.required("Type");
        if (!TYPES.contains(type)) {
            throw RpcRequest.invalid("Type", "It must be RunShellScript, RunBatScript or RunPowerShellScript.");
        }
        String content = content(request);
        List<InstanceId> instances = InstanceIds.read(request);
        if (instances.isEmpty()) {
            throw new ApiException(ApiError.MISSING_PARAMETER, "InstanceId.1");
        }
        int timeout = request.intParam("Timeout", CommandSpec.DEFAULT_TIMEOUT_SECONDS, 1, 86400);
        String terminationMode = request.optional("TerminationMode").orElse(CommandSpec.PROCESS_TREE);
        if (!TERMINATION_MODES.contains(terminationMode)) {
            throw RpcRequest.invalid("TerminationMode", "It must be Process or ProcessTree.");
        }
        UnsupportedRunOptions.check(request);
        return new RunCommandParameters(region, type, content, instances, timeout,
                request.optional("Name").orElse(null), request.optional("Description").orElse(null),
                request.optional("Username").orElse(null), request.optional("WorkingDir").orElse(null),
                terminationMode, clientToken(request), ParametersDigest.of(request));
    }

    /** @param deliveryTimeout how long its runs may wait to be started (see {@link CommandSpec}) */
    CommandSpec spec(CommandId commandId, Duration deliveryTimeout) {
        return new CommandSpec(commandId, name, description, type, content, timeoutSeconds, username, workingDir,
                terminationMode, Math.toIntExact(Math.max(1, deliveryTimeout.toSeconds())));
    }

    /**
     * The script text. The 24 KB limit is on the Base64 form: as sent when the caller sent Base64, else as it would be.
     * Base64 must decode to UTF-8 text: the agent runs text, and a lossy decoding would run something else.
     */
    private static String content(RpcRequest request) {
        String raw = request.required("CommandContent");
        String encoding = request.optional("ContentEncoding").orElse("PlainText");
        String content;
        long base64Length;
        if (encoding.equalsIgnoreCase("Base64")) {
            String trimmed = raw.trim();
            base64Length = trimmed.length();
            content = utf8(decode(trimmed));
        } else if (encoding.equalsIgnoreCase("PlainText")) {
            content = raw;
            base64Length = 4L * ((content.getBytes(StandardCharsets.UTF_8).length + 2) / 3);
        } else {
            throw RpcRequest.invalid("ContentEncoding", "It must be PlainText or Base64.");
        }
        if (base64Length > MAX_CONTENT_BYTES) {
            throw new ApiException(ApiError.COMMAND_CONTENT_EXCEED_LIMIT);
        }
        return content;
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ApiError.INVALID_COMMAND_CONTENT);
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw RpcRequest.invalid("CommandContent", "Once decoded from Base64 it must be UTF-8 text.");
        }
    }

    private static String clientToken(RpcRequest request) {
        Optional<String> token = request.optional("ClientToken");
        if (token.isPresent() && (token.get().length() > MAX_CLIENT_TOKEN
                || !token.get().chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
            throw RpcRequest.invalid("ClientToken", "It must be at most 64 printable ASCII characters.");
        }
        return token.orElse(null);
    }
}
