package io.stopplane.dispatcher.state;

import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.kafka.DeadLetters;
import io.stopplane.kafka.TopicFollower;
import io.stopplane.model.topic.Topics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The latest heartbeat of every instance, followed from the compacted {@code agent-heartbeats} topic. The timers only ask
 * "is this agent alive now?", a wall-clock question, so a plain follower is enough: it needs no exactly-once and must not
 * hold the fold back while the agents' topic does not exist yet. A heartbeat it cannot read goes to
 * {@code agent-heartbeats-dlt} (see {@link DeadLetters}) and the table goes on.
 */
@Component
public class HeartbeatTable implements SmartLifecycle {

    private final Map<InstanceId, AgentHeartbeat> latest = new ConcurrentHashMap<>();
    private final TopicFollower follower;
    private volatile boolean caughtUp;

    HeartbeatTable(KafkaProperties kafka, DeadLetters deadLetters) {
        this.follower = new TopicFollower(Topics.AGENT_HEARTBEATS.name(), kafka.buildConsumerProperties(),
                TopicFollower.Table.ofJson(AgentHeartbeat.class, (key, beat) -> latest.put(beat.instanceId(), beat),
                        key -> {
                            if (InstanceId.isValid(key)) {
                                latest.remove(InstanceId.of(key));
                            }
                        }, () -> caughtUp = true),
                // No client metrics of its own: Boot binds the Kafka Streams clients' under the same meter names with
                // other tag keys, and a Prometheus registry keeps one set of tag keys per name.
                deadLetters, null);
    }

    /**
     * The latest heartbeat of an instance, or null. Until the table has read what the topic held when it started, it
     * may hold an older heartbeat of an instance than the topic's latest, and an older boot id would pass for a reboot
     * (or be recorded as the boot a reboot-mode target waits to change): meanwhile its heartbeats carry no boot id, and
     * the reboot modes wait; whether the agent is alive is read from them as ever.
     */
    public AgentHeartbeat get(InstanceId instanceId) {
        AgentHeartbeat beat = latest.get(instanceId);
        return beat == null || caughtUp || beat.bootId() == null ? beat : new AgentHeartbeat(beat.instanceId(),
                beat.regionId(), beat.accountId(), beat.agentVersion(), beat.hostname(), beat.at());
    }

    @Override
    public void start() {
        follower.start();
    }

    @Override
    public void stop() {
        follower.stop();
    }

    @Override
    public boolean isRunning() {
        return follower.isRunning();
    }
}
