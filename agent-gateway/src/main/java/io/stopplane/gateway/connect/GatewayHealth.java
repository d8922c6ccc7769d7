package io.stopplane.gateway.connect;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code gateway} in the health (and the readiness group): UP once the registry and both delivery readers have read
 * their topics to where they were at start-up. Before that, a hello is answered {@code Gateway.Starting}.
 */
@Component("gateway")
class GatewayHealth implements HealthIndicator {

    private final ConnectionServices services;

    GatewayHealth(ConnectionServices services) {
        this.services = services;
    }

    @Override
    public Health health() {
        return (services.ready() ? Health.up() : Health.down())
                .withDetail("registry", services.registry().ready() ? "ready" : "catching up")
                .withDetail("delivery", services.delivery().ready() ? "ready" : "catching up")
                .withDetail("gatewayId", services.props().id())
                .build();
    }
}
