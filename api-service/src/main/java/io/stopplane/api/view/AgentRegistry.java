package io.stopplane.api.view;

import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The instances whose agent has registered: the latest heartbeat of each, from the compacted {@code agent-heartbeats}
 * topic. An instance is registered in the region its agent reports, to the account it reports. Kept per account and
 * region in instance id order too, so DescribeCloudAssistantStatus reads its page, not every agent.
 */
public class AgentRegistry {

    private final Map<InstanceId, AgentHeartbeat> beats = new ConcurrentHashMap<>();
    private final Map<String, Shelf<String, InstanceId>> shelves = new ConcurrentHashMap<>();
    private volatile boolean ready;

    public Optional<AgentHeartbeat> get(InstanceId instanceId) {
        return Optional.ofNullable(beats.get(instanceId));
    }

    public Collection<AgentHeartbeat> all() {
        return beats.values();
    }

    /** The account's agents in the region, by instance id from {@code from} on (inclusive; null: from the first). */
    public Stream<AgentHeartbeat> from(String accountId, RegionId region, String from) {
        return Optional.ofNullable(shelves.get(scope(accountId, region))).stream()
                .flatMap(shelf -> shelf.from(from))
                .map(beats::get)
                .filter(Objects::nonNull);
    }

    public int count(String accountId, RegionId region) {
        return Optional.ofNullable(shelves.get(scope(accountId, region))).map(Shelf::count).orElse(0);
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
        beats.compute(beat.instanceId(), (id, old) -> {
            if (old != null && beat.at().isBefore(old.at())) {
                return old;
            }
            if (old != null && !scope(old).equals(scope(beat))) {
                unfile(old);
            }
            shelves.compute(scope(beat), (k, shelf) -> {
                Shelf<String, InstanceId> s = shelf == null ? new Shelf<>() : shelf;
                s.put(id.value(), id, 1);
                return s;
            });
            return beat;
        });
    }

    void remove(String key) {
        if (InstanceId.isValid(key)) {
            beats.computeIfPresent(InstanceId.of(key), (id, old) -> {
                unfile(old);
                return null;
            });
        }
    }

    private void unfile(AgentHeartbeat beat) {
        shelves.computeIfPresent(scope(beat), (k, shelf) -> {
            shelf.remove(beat.instanceId().value(), 1);
            return shelf.isEmpty() ? null : shelf;
        });
    }

    private static String scope(AgentHeartbeat beat) {
        return scope(beat.accountId(), beat.regionId());
    }

    private static String scope(String accountId, RegionId region) {
        return (accountId == null ? "" : accountId) + "\0" + (region == null ? "" : region.value());
    }
}
