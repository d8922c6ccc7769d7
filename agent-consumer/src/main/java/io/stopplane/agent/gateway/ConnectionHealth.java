package io.stopplane.agent.gateway;

import io.stopplane.agent.HostedInstances;
import io.stopplane.agent.process.ProcessSupervisor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code commands}, in the readiness group: UP while the agent is connected to the gateway and welcomed, when a
 * command issued now reaches it. Its details name the registered instances, the way to learn them from outside.
 */
@Component("commands")
class ConnectionHealth implements HealthIndicator {

    private final GatewayLink link;
    private final GatewayReporter reporter;
    private final ProcessSupervisor supervisor;
    private final HostedInstances hosted;

    ConnectionHealth(GatewayLink link, GatewayReporter reporter, ProcessSupervisor supervisor, HostedInstances hosted) {
        this.link = link;
        this.reporter = reporter;
        this.supervisor = supervisor;
        this.hosted = hosted;
    }

    @Override
    public Health health() {
        Health.Builder health = link.welcomed() ? Health.up() : Health.down();
        return health.withDetail("instanceIds", hosted.ids().stream().map(id -> id.value()).toList())
                .withDetail("gateway", link.uri().toString())
                .withDetail("killMethod", link.killMethod())
                .withDetail("reportsWaiting", reporter.waiting())
                .withDetail("runningTasks", supervisor.runningCount())
                .build();
    }
}
