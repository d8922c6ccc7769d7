package io.stopplane.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SourceThrottleTest {

    private final AtomicLong nanos = new AtomicLong(10 * SourceThrottle.WINDOW_NANOS);

    @Test
    void aSourceOverItsFailuresIsRefusedUntilItsWindowEnds() {
        SourceThrottle throttle = new SourceThrottle(3, 100, nanos::get);
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.retryAfter("10.0.0.1")).isZero();
            throttle.failed("10.0.0.1");
        }
        nanos.addAndGet(SourceThrottle.WINDOW_NANOS / 4);
        assertThat(throttle.retryAfter("10.0.0.1")).isEqualTo(750);
        assertThat(throttle.retryAfter("10.0.0.2")).as("another source").isZero();
        nanos.addAndGet(SourceThrottle.WINDOW_NANOS);
        assertThat(throttle.retryAfter("10.0.0.1")).as("the next window").isZero();
    }

    @Test
    void beyondItsBoundNewSourcesShareOneCounter() {
        SourceThrottle throttle = new SourceThrottle(2, 2, nanos::get);
        throttle.failed("a");
        throttle.failed("b");
        throttle.failed("c");
        throttle.failed("d");
        assertThat(throttle.retryAfter("e")).as("a newcomer in a full window").isPositive();
        assertThat(throttle.retryAfter("a")).isZero();
    }

    @Test
    void zeroTurnsItOff() {
        SourceThrottle off = new SourceThrottle(0, 2, nanos::get);
        for (int i = 0; i < 100; i++) {
            off.failed("a");
        }
        assertThat(off.retryAfter("a")).isZero();
    }
}
