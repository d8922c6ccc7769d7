package io.stopplane.api.auth;

import io.stopplane.api.config.ApiProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ThrottleConfig {

    @Bean
    AccountThrottle accountThrottle(ApiProperties props) {
        return new AccountThrottle(props.throttle().ratePerSecond(), props.throttle().burst(), System::nanoTime);
    }
}
