package io.stopplane.api.view;

import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The instances whose agent has registered: the latest heartbeat of each, from the compacted {@code agent-heartbeats}
 * topic. An instance is registered in the region its agent reports, to the account it reports.
 */
public class AgentRegistry {

    private final Map<InstanceId, AgentHeartbeat> beats = new ConcurrentHashMap<>();
    private volatile boolean ready;

    public Optional<AgentHeartbeat> get(InstanceId instanceId) {
        return Optional.ofNullable(beats.get(instanceId));
    }

    public Collection<AgentHeartbeat> all() {
        return beats.values();
    }

    /** False until the topic has been read to the end it had at start-up: a miss then proves nothing. */
    public boolean ready() {
        return ready;
    }

    void markReady() {
        ready = true;
    }

    /** The later beat wins: replays and a slow partition never move an instance back in time. */
    void put(String key, AgentHeartbeat beat) {
        beats.merge(beat.instanceId(), beat, (old, neu) -> neu.at().isBefore(old.at()) ? old : neu);
    }

    void remove(String key) {
        if (InstanceId.isValid(key)) {
            beats.remove(InstanceId.of(key));
        }
    }
}
