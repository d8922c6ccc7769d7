package io.stopplane.gateway.liveness;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.gateway.config.GatewayProperties;
import io.stopplane.gateway.kafka.Publisher;
import io.stopplane.gateway.registry.RegistryView;
import io.stopplane.model.event.CloudEvents;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.registry.ManagedInstanceRecord;
import io.stopplane.model.topic.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Liveness from the connections: every {@code heartbeat-interval}, one batch of {@link AgentHeartbeat}s, one per
 * instance a connection here has proven, in server time, with the account and region of its registry record (what the
 * agent claims, its version and hostname, is informational; its boot id, checked in the handshake, is passed on for
 * the dispatcher's reboot modes). A newly proven instance gets its heartbeat at once, so it
 * is online at once. Nothing an agent sends decides when it was alive: the api-service calls an instance online while
 * its last heartbeat is younger than {@code agent-online-within} (20 s), the dispatcher while younger than its
 * {@code heartbeat-expiry} (15 s); both well above the interval (5 s).
 */
public class Liveness implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Liveness.class);

    /**
     * What the agent of one connection said about itself, checked by the handshake; identity-compared, one per
     * connection. Its boot id, unlike the rest, decides something: the dispatcher runs the reboot modes on it.
     */
    public static final class Claims {
        final String agentVersion;
        final String hostname;
        final String bootId;

        public Claims(String agentVersion, String hostname, String bootId) {
            this.agentVersion = agentVersion;
            this.hostname = hostname;
            this.bootId = bootId;
        }
    }

    private final Map<InstanceId, Claims> connected = new ConcurrentHashMap<>();
    private final RegistryView registry;
    private final Publisher publisher;
    private final GatewayProperties props;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    public Liveness(RegistryView registry, Publisher publisher, GatewayProperties props, MeterRegistry meters,
            Clock clock) {
        this.registry = registry;
        this.publisher = publisher;
        this.props = props;
        this.clock = clock;
        Gauge.builder("stopplane.gateway.instances.connected", connected, Map::size)
                .description("instances proven by a connection to this gateway").register(meters);
    }

    /** The instances a connection just proved: online from now on, and told so at once. */
    public void connected(List<InstanceId> ids, Claims claims) {
        ids.forEach(id -> connected.put(id, claims));
        ScheduledExecutorService s = scheduler;
        if (s != null) {
            s.execute(() -> ids.forEach(id -> beat(id, claims, clock.instant())));
        }
    }

    /** The connection that claimed these is gone (a newer connection's claim is kept). */
    public void disconnected(List<InstanceId> ids, Claims claims) {
        ids.forEach(id -> connected.remove(id, claims));
    }

    private void flush() {
        Instant now = clock.instant();
        connected.forEach((id, claims) -> beat(id, claims, now));
    }

    private void beat(InstanceId id, Claims claims, Instant at) {
        ManagedInstanceRecord record = registry.instance(id).orElse(null);
        if (record == null || record.deregistered() || connected.get(id) != claims) {
            return;
        }
        AgentHeartbeat beat = new AgentHeartbeat(id, record.regionId(), record.accountId(), claims.agentVersion,
                claims.hostname, at, claims.bootId);
        publisher.send(Topics.AGENT_HEARTBEATS.name(), id.value(), beat, CloudEvents.of(beat, props.source()))
                .exceptionally(e -> {
                    log.debug("heartbeat of {} not written: {}", id, e.toString());
                    return null;
                });
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeats");
            t.setDaemon(true);
            return t;
        });
        long every = props.heartbeatInterval().toMillis();
        scheduler.scheduleAtFixedRate(() -> {
            try {
                flush();
            } catch (RuntimeException e) {
                log.warn("heartbeat batch failed", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
        scheduler = null;
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
