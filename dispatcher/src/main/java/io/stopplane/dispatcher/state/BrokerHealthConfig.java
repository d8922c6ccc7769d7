package io.stopplane.dispatcher.state;

import io.stopplane.kafka.BrokerHealth;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code broker} in the dispatcher's health: not in the readiness group, the fold resumes by itself when the broker is back. */
@Configuration(proxyBeanMethods = false)
class BrokerHealthConfig {

    @Bean("broker")
    BrokerHealth brokerHealth(KafkaProperties kafka) {
        return new BrokerHealth(kafka.buildAdminProperties(), "dispatcher",
                "no event is folded: invocation-state, and so what DescribeInvocations shows, "
                        + "stays as it was until the broker is back");
    }
}
