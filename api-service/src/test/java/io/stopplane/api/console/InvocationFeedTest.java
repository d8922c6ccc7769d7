package io.stopplane.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InvocationFeedTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final InvocationFeed feed = new InvocationFeed(meters, 2, Duration.ofHours(1), Duration.ofHours(1));

    @AfterEach
    void close() {
        feed.close();
    }

    @Test
    void aStreamOverTheBoundIsRefusedAndCounted() {
        feed.open(caller("1"), null);
        feed.open(caller("1"), null);
        ApiException refused = catchThrowableOfType(ApiException.class, () -> feed.open(caller("1"), null));
        assertThat(refused.error()).isEqualTo(ApiError.SERVICE_UNAVAILABLE);
        assertThat(meters.counter("stopplane.console.feed.refused").count()).isEqualTo(1);
        assertThat(feed.size()).isEqualTo(2);
    }

    @Test
    void aStreamSeesOnlyItsAccountsInvocationsInItsRegion() {
        FeedClient client = new FeedClient(null, caller("1"), "cn-hangzhou");
        assertThat(client.sees(state("t-a1", "1", "cn-hangzhou"))).isTrue();
        assertThat(client.sees(state("t-a2", "2", "cn-hangzhou"))).isFalse();
        assertThat(client.sees(state("t-a3", null, "cn-hangzhou"))).isFalse();
        assertThat(client.sees(state("t-a4", "1", "cn-beijing"))).isFalse();
        assertThat(new FeedClient(null, caller(null), null).sees(state("t-a5", null, "cn-beijing"))).isTrue();
    }

    @Test
    void aStreamThatFallsTooFarBehindIsClosedAndCounted() {
        feed.open(caller("1"), null);
        for (int i = 0; i <= FeedClient.MAX_PENDING; i++) {
            feed.changed(state("t-many" + i, "1", "cn-hangzhou"));
        }
        assertThat(feed.size()).isZero();
        assertThat(meters.counter("stopplane.console.feed.overflowed").count()).isEqualTo(1);
    }

    @Test
    void changesToOneInvocationCoalesce() {
        FeedClient client = new FeedClient(null, caller("1"), null);
        for (int i = 0; i <= FeedClient.MAX_PENDING; i++) {
            assertThat(client.offer(state("t-same", "1", "cn-hangzhou"))).isTrue();
        }
    }

    private static Caller caller(String account) {
        return new Caller(account, "key", "127.0.0.1", "req");
    }

    private static InvocationState state(String id, String owner, String region) {
        Instant now = Instant.now();
        return new InvocationState(InvokeId.of(id), RegionId.of(region), null, now, now,
                List.of(InstanceState.pending(InstanceId.of("i-feed1"), now)), 1, null, null, owner);
    }
}
