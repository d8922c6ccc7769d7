package io.stopplane.agent;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How this agent behaves. What it hosts is not a setting: the instance ids come from registration
 * ({@link HostedInstances}).
 *
 * @param stateDir the agent's own area: identities, journal, working areas
 * @param stopGrace how long a stopped process tree gets between SIGTERM and SIGKILL
 * @param shutdownGrace the same when the agent itself shuts down: kept short so {@code down} is quick
 * @param deliveryTimeout for a command that does not carry its own delivery timeout (written before the API set one in
 *     every command): a run read this long after it was issued is never started (reported {@code Aborted}), as the
 *     dispatcher has given up on it; keep it equal to the dispatcher's {@code delivery-timeout}
 * @param journalRetention how long the journal remembers a task that is over and reported: longer than the retention
 *     of {@code instance-commands}, so that no redelivered run can be mistaken for a new one
 */
@ConfigurationProperties("stopplane.agent")
public record AgentProperties(
        Path stateDir,
        @DefaultValue("10s") Duration stopGrace,
        @DefaultValue("3s") Duration shutdownGrace,
        @DefaultValue("60s") Duration deliveryTimeout,
        @DefaultValue("8d") Duration journalRetention) {

    public AgentProperties {
        if (stateDir == null) {
            stateDir = Path.of(System.getProperty("java.io.tmpdir"), "stopplane-agent");
        }
    }

    /** The working area of commands that name no working directory. */
    public Path instanceDir(InstanceId instanceId) {
        return stateDir.resolve("instances").resolve(instanceId.value());
    }

    /** The durable journal of tasks, one file per instance, and beside it each live task's process files. */
    public Path journalDir() {
        return stateDir.resolve("journal");
    }

    /** Where one task's wrapper writes the command's pid, exit status and output. */
    public Path taskDir(InstanceId instanceId, InvokeId invokeId) {
        return taskDir(instanceId, invokeId.value());
    }

    /** @param dirName the task's ({@code TaskKey#dirName}: a run of a schedule has its own) */
    public Path taskDir(InstanceId instanceId, String dirName) {
        return journalDir().resolve(instanceId.value()).resolve(dirName);
    }

    /** The identities registration gave this agent, one file per instance: private keys, mode 0600. */
    public Path identityDir() {
        return stateDir.resolve("identity");
    }
}
