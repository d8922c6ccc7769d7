package io.stopplane.agent.process;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The agent's {@link ProcessControl}, and where a user sees which kill method it uses: {@code /actuator/health}'s
 * {@code processes} component ({@code killMethod}, {@code cgroupParent}) and the gauge
 * {@code stopplane.agent.kill.method{method=cgroup|process-group}} (1).
 */
@Configuration(proxyBeanMethods = false)
class ProcessControlConfig {

    @Bean
    ProcessControl processControl(@Value("${stopplane.agent.kill-method:auto}") String killMethod, MeterRegistry meters) {
        ProcessControl control = ProcessControl.of(killMethod);
        Gauge.builder("stopplane.agent.kill.method", () -> 1)
                .description("how this agent kills a command's processes: cgroup (v2) or process-group (the fallback)")
                .tag("method", control.killMethod().wireName())
                .register(meters);
        return control;
    }

    @Bean("processes")
    HealthIndicator processesHealth(ProcessControl control, ProcessSupervisor supervisor) {
        return () -> {
            Health.Builder health = Health.up().withDetail("killMethod", control.killMethod().wireName());
            control.cgroupParent().ifPresent(parent -> health.withDetail("cgroupParent", parent));
            return health.withDetail("runningTasks", supervisor.runningCount()).build();
        };
    }
}
