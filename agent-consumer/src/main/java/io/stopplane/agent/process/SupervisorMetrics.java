package io.stopplane.agent.process;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** {@code stopplane.agent.processes.running}: the commands this agent's supervisor is running now, over all instances. */
@Component
class SupervisorMetrics {

    SupervisorMetrics(ProcessSupervisor supervisor, MeterRegistry meters) {
        Gauge.builder("stopplane.agent.processes.running", supervisor, ProcessSupervisor::runningCount)
                .description("command processes this agent is running (started or recovered, not yet ended)")
                .register(meters);
    }
}
