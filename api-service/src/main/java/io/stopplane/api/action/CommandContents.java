package io.stopplane.api.action;

import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.error.ApiError;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * A command's {@code Type} and {@code CommandContent}, as RunCommand, CreateCommand and ModifyCommand read them. The
 * encodings' defaults differ by action, as Alibaba's: PlainText for RunCommand, Base64 for CreateCommand, and
 * ModifyCommand's content is always Base64.
 */
final class CommandContents {

    static final int MAX_CONTENT_BYTES = 24 * 1024;
    private static final Set<String> TYPES =
            Set.of(CommandSpec.RUN_SHELL_SCRIPT, "RunBatScript", "RunPowerShellScript");

    private CommandContents() {
    }

    static String type(RpcRequest request) {
        String type = request.required("Type");
        if (!TYPES.contains(type)) {
            throw RpcRequest.invalid("Type", "It must be RunShellScript, RunBatScript or RunPowerShellScript.");
        }
        return type;
    }

    /** The required {@code CommandContent} in the request's {@code ContentEncoding}, else {@code defaultEncoding}. */
    static String read(RpcRequest request, String defaultEncoding) {
        return decode(request.required("CommandContent"),
                request.optional("ContentEncoding").orElse(defaultEncoding));
    }

    /**
     * The script text. The 24 KB limit is on the Base64 form: as sent when the caller sent Base64, else as it would be.
     * Base64 must decode to UTF-8 text: the agent runs text, and a lossy decoding would run something else.
     */
    static String decode(String raw, String encoding) {
        String content;
        long base64Length;
        if (encoding.equalsIgnoreCase("Base64")) {
            String trimmed = raw.trim();
            base64Length = trimmed.length();
            content = utf8(base64(trimmed));
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

    private static byte[] base64(String base64) {
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
}
