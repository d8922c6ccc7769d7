package io.stopplane.agent.intake;

import io.stopplane.agent.AgentProperties;
import io.stopplane.agent.process.ProcessSupervisor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** UP once the agent is positioned on its partitions: a command produced after that is guaranteed to be seen. */
@Component("commands")
class IntakeHealth implements HealthIndicator {

    private final CommandIntake intake;
    private final ProcessSupervisor supervisor;
    private final AgentProperties props;

    IntakeHealth(CommandIntake intake, ProcessSupervisor supervisor, AgentProperties props) {
        this.intake = intake;
        this.supervisor = supervisor;
        this.props = props;
    }

    @Override
    public Health health() {
        Health.Builder health = intake.isReady() ? Health.up() : Health.down();
        return health.withDetail("instanceIds", props.instanceIds().toString())
                .withDetail("partitions", intake.assignment().toString())
                .withDetail("runningTasks", supervisor.runningCount())
                .build();
    }
}
