package io.stopplane.model.command;

import io.stopplane.model.id.CommandId;
import java.util.Objects;

/**
 * What to run: the command of an invocation as RunCommand created it. {@code content} is the plain script text.
 *
 * @param timeoutSeconds the execution timeout; the agent kills the process tree when it expires
 * @param terminationMode {@code ProcessTree} (default) or {@code Process}
 */
public record CommandSpec(
        CommandId commandId,
        String name,
        String description,
        String type,
        String content,
        int timeoutSeconds,
        String username,
        String workingDir,
        String terminationMode) {

    public static final String RUN_SHELL_SCRIPT = "RunShellScript";
    public static final String PROCESS_TREE = "ProcessTree";
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;

    public CommandSpec {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(content, "content");
        if (timeoutSeconds <= 0) {
            throw new IllegalArgumentException("timeoutSeconds must be positive: " + timeoutSeconds);
        }
        if (terminationMode == null) {
            terminationMode = PROCESS_TREE;
        }
    }
}
