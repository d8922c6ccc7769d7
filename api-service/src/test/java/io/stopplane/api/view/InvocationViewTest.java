package io.stopplane.api.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The view follows the dispatcher's retention: a tombstone takes the invocation out of every index (token, status,
 * instance, the whole account), and a status change moves it between the status indexes, so the indexes hold what the
 * view holds and no more.
 */
class InvocationViewTest {

    private static final RegionId REGION = RegionId.of("cn-hangzhou");

    private static InvocationState state(InstanceStatus status, long version) {
        InstanceState target = new InstanceState(InstanceId.of("i-a"), status, null, null, null, null, 0,
                Instant.EPOCH, null, null, null, Instant.EPOCH);
        return new InvocationState(InvokeId.of("t-x"), REGION, null, Instant.ofEpochSecond(5), Instant.EPOCH,
                List.of(target), version, "tok", "d", "1001");
    }

    @Test
    void aStatusChangeMovesItAndATombstoneTakesItOutOfEveryIndex() {
        InvocationView view = new InvocationView();
        view.apply(state(InstanceStatus.RUNNING, 1));
        assertThat(view.count("1001", REGION, IndexKeys.status("running"))).isEqualTo(1);
        assertThat(view.count("1001", REGION, IndexKeys.active("i-a"))).isEqualTo(1);

        view.apply(state(InstanceStatus.SUCCESS, 2));
        assertThat(view.count("1001", REGION, IndexKeys.status("running"))).isZero();
        assertThat(view.count("1001", REGION, IndexKeys.status("Finished"))).isEqualTo(1);
        assertThat(view.count("1001", REGION, IndexKeys.active("i-a"))).isZero();
        assertThat(view.from("1001", REGION, IndexKeys.instance("i-a"), null)).hasSize(1);

        view.remove("t-x");
        assertThat(view.get(InvokeId.of("t-x"))).isEmpty();
        assertThat(view.byToken("1001", "tok")).isEmpty();
        for (String key : List.of(IndexKeys.ALL, IndexKeys.status("success"), IndexKeys.instance("i-a"),
                IndexKeys.record("Finished"))) {
            assertThat(view.count("1001", REGION, key)).as(key).isZero();
            assertThat(view.from("1001", REGION, key, null)).as(key).isEmpty();
        }
        assertThat(view.targets("1001", REGION, IndexKeys.ALL)).isZero();
    }
}
