package io.stopplane.api.publish;

import io.stopplane.kafka.BrokerHealth;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code broker} in the API's health: not in the readiness group, reads still answer from the last known state
 * while the broker is gone, so the API must stay in its load balancer. */
@Configuration(proxyBeanMethods = false)
class BrokerHealthConfig {

    @Bean("broker")
    BrokerHealth brokerHealth(KafkaProperties kafka) {
        return new BrokerHealth(kafka.buildAdminProperties(), "api-service",
                "RunCommand and StopInvocation answer InternalError.Dispatch; "
                        + "DescribeInvocations answers from the last known state");
    }
}
