package io.stopplane.gateway.connect;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.gateway.registry.RegistryView;
import io.stopplane.model.id.InstanceId;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Which connection holds each instance: the newest that proved it (the older one is closed), and the connections
 * open. A revoked identity's connection is closed as soon as the registry follower reads the revocation.
 */
@Component
class Sessions {

    private final Map<InstanceId, Connection> holders = new ConcurrentHashMap<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    Sessions(RegistryView registry, MeterRegistry meters) {
        registry.onRevoked(id -> {
            Connection holder = holders.get(id);
            if (holder != null) {
                holder.revoke(id);
            }
        });
        Gauge.builder("stopplane.gateway.connections", open, Set::size)
                .description("open agent connections").register(meters);
    }

    void opened(Connection c) {
        open.add(c);
    }

    void closed(Connection c) {
        open.remove(c);
    }

    /** Makes {@code c} the instance's holder; returns the previous holder, if another connection. */
    Connection attach(InstanceId id, Connection c) {
        Connection previous = holders.put(id, c);
        return previous == c ? null : previous;
    }

    void detach(InstanceId id, Connection c) {
        holders.remove(id, c);
    }
}
