package io.stopplane.api.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ClientToken look-ups are the account's own: with 100,000 invocations of other accounts in the view, all with the same
 * token, a look-up reads none of them (the view's scan fails the test), and no creation waits for another's publish.
 */
class ClientTokensTest {

    private static final RegionId REGION = RegionId.of("cn-hangzhou");
    private static final Caller ALICE = new Caller("1001", "AK1", "127.0.0.1", "R1");
    private static final Caller BOB = new Caller("1002", "AK2", "127.0.0.1", "R2");

    /** Ready, and failing the test if anything scans it. */
    private final InvocationView view = new InvocationView() {
        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public Collection<InvocationState> all() {
            throw new AssertionError("a token look-up scanned the view");
        }
    };
    private final ClientTokens tokens = new ClientTokens(view);
    private final AtomicInteger creations = new AtomicInteger();

    static InvocationState state(String invokeId, String account, String token, String digest) {
        InstanceState target = new InstanceState(InstanceId.of("i-a"), InstanceStatus.SUCCESS, 0, null, null, null, 0,
                Instant.EPOCH, null, null, null, Instant.EPOCH);
        return new InvocationState(InvokeId.of(invokeId), REGION, null, Instant.ofEpochMilli(invokeId.hashCode()),
                Instant.EPOCH, List.of(target), 1, token, digest, account);
    }

    @BeforeEach
    void fill() {
        for (int n = 0; n < 100_000; n++) {
            view.created(state("t-other" + n, "acct-" + (n % 1000), "tok", "theirs"));
        }
        view.created(state("t-alice", ALICE.accountId(), "tok", "mine"));
    }

    private InvocationState created(Caller caller, String digest) {
        creations.incrementAndGet();
        return state("t-new" + creations.get(), caller.accountId(), "tok", digest);
    }

    @Test
    void theAccountsOwnInvocationIsFoundWithoutReadingOthers() {
        assertThat(tokens.once(ALICE, "tok", "mine", () -> created(ALICE, "mine")).invokeId().value())
                .isEqualTo("t-alice");
        ApiException mismatch = catchThrowableOfType(ApiException.class,
                () -> tokens.once(ALICE, "tok", "theirs", () -> created(ALICE, "theirs")));
        assertThat(mismatch.error()).isEqualTo(ApiError.IDEMPOTENT_PARAMETER_MISMATCH);
        assertThat(tokens.once(BOB, "tok", "theirs", () -> created(BOB, "theirs")).invokeId().value())
                .as("another account's token of the same name is not Bob's").isEqualTo("t-new1");
        assertThat(creations).hasValue(1);
    }

    @Test
    void aCreationUnderWayHoldsNoLockButOtherParametersWithItsTokenAreAMismatch() throws Exception {
        CountDownLatch publishing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<InvocationState> first = CompletableFuture.supplyAsync(() -> tokens.once(BOB, "tok-x", "a",
                () -> {
                    publishing.countDown();
                    await(release);
                    return created(BOB, "a");
                }));
        assertThat(publishing.await(30, TimeUnit.SECONDS)).isTrue();

        // while Bob's first publish is under way: Alice, and Bob with another token, go ahead
        assertThat(CompletableFuture.supplyAsync(() -> tokens.once(ALICE, "tok-x", "a", () -> created(ALICE, "a")))
                .get(30, TimeUnit.SECONDS)).isNotNull();
        assertThat(CompletableFuture.supplyAsync(() -> tokens.once(BOB, "tok-y", "a", () -> created(BOB, "a")))
                .get(30, TimeUnit.SECONDS)).isNotNull();
        ApiException mismatch = catchThrowableOfType(ApiException.class,
                () -> tokens.once(BOB, "tok-x", "b", () -> created(BOB, "b")));
        assertThat(mismatch.error()).isEqualTo(ApiError.IDEMPOTENT_PARAMETER_MISMATCH);

        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isNotNull();
        assertThat(creations).hasValue(3);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
