package io.stopplane.model.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void eachWaitDoublesUpToTheCapAndIsDrawnBetweenHalfOfItAndAllOfIt() {
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5), new SplittableRandom(7));
        long[] ceilings = {250, 500, 1000, 2000, 4000, 5000, 5000, 5000};
        for (long ceiling : ceilings) {
            assertThat(backoff.next().toMillis()).isBetween(ceiling / 2, ceiling);
        }
    }

    @Test
    void aResetStartsAgainFromTheFirstWait() {
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5), new SplittableRandom(7));
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }
        backoff.reset();
        assertThat(backoff.next().toMillis()).isBetween(125L, 250L);
    }

    @Test
    void twoAgentsThatLostTheGatewayTogetherDoNotComeBackTogether() {
        Backoff a = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5), new SplittableRandom(1));
        Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5), new SplittableRandom(2));
        long same = 0;
        for (int i = 0; i < 20; i++) {
            same += a.next().equals(b.next()) ? 1 : 0;
        }
        assertThat(same).isLessThan(5);
    }
}
