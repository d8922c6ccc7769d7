package io.stopplane.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.api.auth.NonceCache.Use;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NonceCacheTest {

    private static final Duration WINDOW = Duration.ofMinutes(15);
    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");

    @Test
    void aNonceIsRefusedWhileItsRequestCouldBeReplayedAndForgottenAfter() {
        NonceCache cache = new NonceCache(WINDOW, 100);
        assertThat(cache.firstUse("k", "n1", NOW, NOW)).isEqualTo(Use.FIRST);
        assertThat(cache.firstUse("k", "n1", NOW, NOW.plusSeconds(60))).isEqualTo(Use.REPLAY);
        assertThat(cache.firstUse("other", "n1", NOW, NOW)).as("nonces are per key").isEqualTo(Use.FIRST);
        // the same nonce with another timestamp is still the same nonce
        assertThat(cache.firstUse("k", "n1", NOW.plusSeconds(30), NOW.plusSeconds(30))).isEqualTo(Use.REPLAY);
        assertThat(cache.firstUse("k", "n1", NOW, NOW.plus(WINDOW).minusSeconds(1))).isEqualTo(Use.REPLAY);
        // once the timestamp is out of the window the request is refused as expired anyway: the nonce may go
        cache.firstUse("k", "later", NOW.plus(WINDOW).plus(WINDOW), NOW.plus(WINDOW).plus(Duration.ofMinutes(2)));
        assertThat(cache.contains("k", "n1")).isFalse();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aFullCacheRefusesNewNoncesInsteadOfForgettingOld() {
        NonceCache cache = new NonceCache(WINDOW, 2);
        assertThat(cache.firstUse("k", "a", NOW, NOW)).isEqualTo(Use.FIRST);
        assertThat(cache.firstUse("k", "b", NOW, NOW)).isEqualTo(Use.FIRST);
        assertThat(cache.firstUse("k", "c", NOW, NOW)).isEqualTo(Use.FULL);
        assertThat(cache.firstUse("k", "a", NOW, NOW)).isEqualTo(Use.REPLAY);
        assertThat(cache.firstUse("k", "c", NOW, NOW.plus(WINDOW).plus(Duration.ofMinutes(2)))).isEqualTo(Use.FIRST);
    }

    @Test
    void anotherReplicasNonceIsRefusedHereUnlessAlreadyExpired() {
        NonceCache cache = new NonceCache(WINDOW, 100);
        cache.remember(NonceCache.key("k", "theirs"), NOW, NOW.plusSeconds(1));
        assertThat(cache.firstUse("k", "theirs", NOW, NOW.plusSeconds(2))).isEqualTo(Use.REPLAY);
        cache.remember(NonceCache.key("k", "old"), NOW.minus(WINDOW).minusSeconds(1), NOW);
        assertThat(cache.contains("k", "old")).isFalse();
    }
}
