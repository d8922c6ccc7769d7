package io.stopplane.model.command;

import io.stopplane.model.id.CommandId;
import java.time.Duration;
import java.util.Objects;

/**
 * What to run: the command of an invocation as RunCommand created it. {@code content} is the plain script text.
 *
 * @param timeoutSeconds the execution timeout; the agent kills the process tree when it expires
 * @param terminationMode {@code ProcessTree} (default) or {@code Process}
 * @param deliveryTimeoutSeconds a run not started this long after it was issued never starts: the dispatcher reports it
 *     {@code Aborted} and the agent refuses it, both from this one value, which the API sets. Absent from commands
 *     written before it existed: each then uses its own configured fallback.
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
        String terminationMode,
        Integer deliveryTimeoutSeconds) {

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
        if (deliveryTimeoutSeconds != null && deliveryTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("deliveryTimeoutSeconds must be positive: " + deliveryTimeoutSeconds);
        }
    }

    /** Without a delivery timeout of its own: the reader's configured one applies. */
    public CommandSpec(CommandId commandId, String name, String description, String type, String content,
            int timeoutSeconds, String username, String workingDir, String terminationMode) {
        this(commandId, name, description, type, content, timeoutSeconds, username, workingDir, terminationMode, null);
    }

    /** The same command with other content: what one target runs once its parameters are resolved. */
    public CommandSpec withContent(String resolved) {
        return new CommandSpec(commandId, name, description, type, resolved, timeoutSeconds, username, workingDir,
                terminationMode, deliveryTimeoutSeconds);
    }

    /** How long a run of this command may wait to be started: its own delivery timeout, else {@code fallback}. */
    public Duration deliveryTimeout(Duration fallback) {
        return deliveryTimeoutSeconds == null ? fallback : Duration.ofSeconds(deliveryTimeoutSeconds);
    }
}
