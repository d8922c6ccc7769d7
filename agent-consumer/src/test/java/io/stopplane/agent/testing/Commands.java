package io.stopplane.agent.testing;

import io.stopplane.agent.task.TaskKey;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.command.StopCommand;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.time.Instant;
import java.util.UUID;

/** Builds the commands api-service would send. */
public final class Commands {

    private Commands() {
    }

    public static RunCommand run(String instanceId, String script) {
        return run(InvokeId.random(), instanceId, spec(CommandSpec.RUN_SHELL_SCRIPT, script, 60, null, null));
    }

    public static RunCommand run(InvokeId invokeId, String instanceId, String script) {
        return run(invokeId, instanceId, spec(CommandSpec.RUN_SHELL_SCRIPT, script, 60, null, null));
    }

    public static RunCommand run(InvokeId invokeId, String instanceId, CommandSpec spec) {
        return new RunCommand(UUID.randomUUID().toString(), invokeId, InstanceId.of(instanceId), Instant.now(), spec);
    }

    public static CommandSpec spec(String type, String script, int timeoutSeconds, String username, String workingDir) {
        return new CommandSpec(CommandId.random(), "test", null, type, script, timeoutSeconds, username, workingDir, null);
    }

    public static StopCommand stop(RunCommand run) {
        return new StopCommand(UUID.randomUUID().toString(), run.invokeId(), run.instanceId(), Instant.now(),
                UUID.randomUUID().toString().toUpperCase());
    }

    public static TaskKey key(RunCommand run) {
        return TaskKey.of(run);
    }
}
