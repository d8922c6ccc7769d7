package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.registry.RegistryPublisher;
import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.registry.RegistryEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What every action that writes the registry does the same way: the region checked for Cloud Assistant and the caller
 * authorized once the action's own parameters are valid (so a bad parameter is reported before a permission), and an
 * event published and then folded into this replica's view, so that the caller reads its own write at once.
 */
@Component
class RegistryWrites {

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final RegistryPublisher publisher;
    private final RegistryView registry;

    RegistryWrites(Regions regions, ActionAuthorizer authorizer, RegistryPublisher publisher, RegistryView registry) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.publisher = publisher;
        this.registry = registry;
    }

    RegionId region(RpcRequest request) {
        return regions.parse(request);
    }

    Caller authorize(RpcRequest request, RegionId region) {
        regions.requireCloudAssistant(region);
        return authorizer.authorize(request);
    }

    RegistryView registry() {
        return registry;
    }

    void write(RegistryEvent event) {
        publisher.publish(event);
        registry.applyOwn(event);
    }

    /** A new event's id. */
    static String eventId() {
        return UUID.randomUUID().toString();
    }

    /** A new event's time: the server's, to the millisecond as every event. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
