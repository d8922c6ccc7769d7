package io.stopplane.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AccountThrottleTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AccountThrottle throttle = new AccountThrottle(10, 5, nanos::get);

    @Test
    void aBurstPassesThenTheCallerIsToldHowLongToWait() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.tryAcquire("a")).isZero();
        }
        assertThat(throttle.tryAcquire("a")).isEqualTo(100);
        nanos.addAndGet(100_000_000L);
        assertThat(throttle.tryAcquire("a")).isZero();
    }

    @Test
    void accountsDoNotShareABucket() {
        for (int i = 0; i < 5; i++) {
            throttle.tryAcquire("a");
        }
        assertThat(throttle.tryAcquire("a")).isPositive();
        assertThat(throttle.tryAcquire("b")).isZero();
    }

    @Test
    void aZeroRateMeansNoLimit() {
        AccountThrottle off = new AccountThrottle(0, 0, nanos::get);
        for (int i = 0; i < 1000; i++) {
            assertThat(off.tryAcquire("a")).isZero();
        }
    }
}
