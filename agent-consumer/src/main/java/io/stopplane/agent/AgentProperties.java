package io.stopplane.agent;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What this agent hosts and how it behaves.
 *
 * @param instanceIds the instances whose commands this agent runs (one process may host several for local runs and tests)
 * @param id names the agent's consumer group {@code stopplane-agent-<id>}; derived from the instance ids when unset, so a
 *     restarted agent with the same instances resumes from the same committed offsets
 * @param stopGrace how long a stopped process tree gets between SIGTERM and SIGKILL
 * @param shutdownGrace the same when the agent itself shuts down: kept short so {@code down} is quick
 * @param deliveryTimeout for a command that does not carry its own delivery timeout (written before the API set one in
 *     every command): a run read this long after it was issued is never started (reported {@code Aborted}), as the
 *     dispatcher has given up on it; keep it equal to the dispatcher's {@code delivery-timeout}
 * @param journalRetention how long the journal remembers a task that is over and reported: longer than the retention
 *     of {@code instance-commands}, so that no redelivered run can be mistaken for a new one
 * @param accountId the account the hosted instances are registered to (none in the local no-auth mode)
 */
@ConfigurationProperties("stopplane.agent")
public record AgentProperties(
        List<InstanceId> instanceIds,
        @DefaultValue("cn-hangzhou") RegionId regionId,
        Path stateDir,
        @DefaultValue("10s") Duration stopGrace,
        @DefaultValue("3s") Duration shutdownGrace,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("60s") Duration deliveryTimeout,
        @DefaultValue("8d") Duration journalRetention,
        String id,
        String accountId) {

    public AgentProperties {
        if (instanceIds == null || instanceIds.isEmpty()) {
            throw new IllegalArgumentException("stopplane.agent.instance-ids must name at least one instance");
        }
        instanceIds = instanceIds.stream().distinct().toList();
        if (stateDir == null) {
            stateDir = Path.of(System.getProperty("java.io.tmpdir"), "stopplane-agent");
        }
        if (accountId != null && accountId.isBlank()) {
            accountId = null; // the local no-auth mode: instances belong to no account
        }
        if (id == null || id.isBlank()) {
            id = deriveId(instanceIds);
        }
    }

    /** The consumer group holding this agent's offsets. */
    public String groupId() {
        return "stopplane-agent-" + id;
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
        return journalDir().resolve(instanceId.value()).resolve(invokeId.value());
    }

    // Sorted so that the order of the setting does not change the group; hashed when long, as group ids end up in logs.
    private static String deriveId(List<InstanceId> ids) {
        String joined = ids.stream().map(InstanceId::value).sorted().collect(Collectors.joining("_"));
        if (joined.length() <= 120) {
            return joined;
        }
        return ids.stream().map(InstanceId::value).sorted().findFirst().orElseThrow()
                + "-" + Integer.toHexString(joined.hashCode());
    }
}
