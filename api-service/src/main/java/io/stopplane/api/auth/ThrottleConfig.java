package io.stopplane.api.auth;

import io.stopplane.api.config.ApiProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The throttles. Per account across replicas, approximately: each of the {@code replicas} replicas allows its share,
 * {@code rate / replicas} (burst likewise), so behind a balancer that spreads an account's calls evenly the account gets
 * about its rate in all, and never more than it; spread unevenly, it is throttled earlier, down to one replica's share.
 */
@Configuration(proxyBeanMethods = false)
class ThrottleConfig {

    /** Distinct source addresses counted apart in one window; beyond, they share one counter. */
    static final int MAX_SOURCES = 100_000;

    @Bean
    AccountThrottle accountThrottle(ApiProperties props) {
        ApiProperties.Throttle t = props.throttle();
        return new AccountThrottle(t.ratePerSecond() / t.replicas(), t.burst() / t.replicas(), System::nanoTime);
    }

    @Bean
    SourceThrottle sourceThrottle(ApiProperties props) {
        return new SourceThrottle(props.throttle().sourceFailuresPerSecond(), MAX_SOURCES, System::nanoTime);
    }
}
