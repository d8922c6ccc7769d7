package io.stopplane.gateway.connect;

import io.stopplane.gateway.config.GatewayProperties;
import io.stopplane.gateway.delivery.DeliveryReadiness;
import io.stopplane.gateway.delivery.Pending;
import io.stopplane.gateway.liveness.Liveness;
import io.stopplane.gateway.registry.RegistryView;
import io.stopplane.gateway.report.ReportWriter;
import org.springframework.stereotype.Component;

/** What every connection works with, in one place. */
@Component
record ConnectionServices(GatewayProperties props, RegistryView registry, Pending pending, Sessions sessions,
        Liveness liveness, ReportWriter reports, Refusals refusals, DeliveryReadiness delivery) {

    /** The registry and both delivery readers have read their topics to where they were at start-up. */
    boolean ready() {
        return registry.ready() && delivery.ready();
    }
}
