package io.stopplane.agent.intake;

import io.stopplane.kafka.BrokerHealth;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code broker} in the agent's health: not in the readiness group, the agent resumes by itself when the broker is back. */
@Configuration(proxyBeanMethods = false)
class BrokerHealthConfig {

    @Bean("broker")
    BrokerHealth brokerHealth(KafkaProperties kafka) {
        return new BrokerHealth(kafka.buildAdminProperties(), "agent",
                "no run or stop can reach this agent; running commands go on and their "
                        + "reports wait until the broker is back");
    }
}
