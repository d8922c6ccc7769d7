package io.stopplane.model.topic;

import java.util.List;
import java.util.Map;

/** The one catalogue of StopPlane's topics. Partition counts are a deployment setting, not part of the catalogue. */
public final class Topics {

    /**
     * Runs and stops per instance; bounded retention: a command older than a week is of no use to any agent. The
     * dispatcher writes the runs of scheduled invocations.
     */
    public static final TopicSpec INSTANCE_COMMANDS = new TopicSpec("instance-commands", "instance id",
            "api-service, dispatcher",
            Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(7L * 24 * 3600 * 1000)));

    /** The append-only audit log and source of truth: kept forever. */
    public static final TopicSpec INVOCATION_EVENTS = new TopicSpec("invocation-events", "invoke id",
            "api-service, agent-gateway, dispatcher",
            Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1"));

    /**
     * The latest state per invocation, written by the dispatcher only. Compaction may run once a record is a minute old;
     * tombstones stay a day so slow readers still see deletions. Outputs are not in it (see INVOCATION_OUTPUTS), so a
     * 100-instance invocation's record is tens of KB; 4 MiB leaves room for long error texts.
     */
    public static final TopicSpec INVOCATION_STATE = new TopicSpec("invocation-state", "invoke id", "dispatcher",
            Map.of("cleanup.policy", "compact",
                    "min.compaction.lag.ms", "60000",
                    "segment.ms", String.valueOf(3600L * 1000),
                    "delete.retention.ms", String.valueOf(24L * 3600 * 1000),
                    "max.message.bytes", String.valueOf(4 * 1024 * 1024)));

    /** Each target's captured output (≤ 24 KB), apart from the state so state records stay small. */
    public static final TopicSpec INVOCATION_OUTPUTS = new TopicSpec("invocation-outputs", "invoke id/instance id",
            "dispatcher",
            Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000", "segment.ms", String.valueOf(3600L * 1000)));

    /** The latest heartbeat per instance. */
    public static final TopicSpec AGENT_HEARTBEATS = new TopicSpec("agent-heartbeats", "instance id", "agent-gateway",
            Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000"));

    /**
     * Every change to activations and managed instances, keyed by activation id (so one writer decides each
     * registration against its activation's limits): the append-only audit log of who may be an agent.
     */
    public static final TopicSpec REGISTRY_EVENTS = new TopicSpec("registry-events", "activation id",
            "api-service, agent-gateway",
            Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1"));

    /**
     * The latest activations, managed instances and registration verdicts ({@code activation/<id>},
     * {@code instance/<id>}, {@code registration/<request id>}), written by the dispatcher's registry fold only.
     */
    public static final TopicSpec AGENT_REGISTRY = new TopicSpec("agent-registry", "activation/, instance/ or "
            + "registration/ + id", "dispatcher",
            Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000",
                    "delete.retention.ms", String.valueOf(24L * 3600 * 1000)));

    /**
     * The signature nonces each api-service replica accepted, which every replica follows so that a replay is refused on
     * all of them. A nonce matters only while its request's timestamp is acceptable (15 minutes each way): half an hour
     * of retention, in segments of ten minutes so that old ones are deleted, bounds what a starting replica reads.
     */
    public static final TopicSpec API_NONCES = new TopicSpec("api-nonces", "access key id + nonce", "api-service",
            Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(30L * 60 * 1000),
                    "segment.ms", String.valueOf(10L * 60 * 1000)));

    /**
     * The command library (CreateCommand … DeleteCommand, RunCommand's KeepCommand): each saved command's latest
     * version, keyed by command id, written by the api-service replicas and followed by every one of them, so the
     * library is the same on all and survives their restarts. A deleted command stays as a small marked record (see
     * {@code LibraryCommand}), never a tombstone: compaction then never lets an older version come back.
     */
    public static final TopicSpec COMMAND_LIBRARY = new TopicSpec("command-library", "command id", "api-service",
            Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000"));

    public static final List<TopicSpec> ALL = List.of(INSTANCE_COMMANDS, INVOCATION_EVENTS, INVOCATION_STATE,
            INVOCATION_OUTPUTS, AGENT_HEARTBEATS, REGISTRY_EVENTS, AGENT_REGISTRY, API_NONCES, COMMAND_LIBRARY);

    /** Every topic of the catalogue is read by some service, so each has its dead-letter topic. */
    public static final List<TopicSpec> DEAD_LETTERS = ALL.stream().map(TopicSpec::deadLetter).toList();

    private Topics() {
    }
}
