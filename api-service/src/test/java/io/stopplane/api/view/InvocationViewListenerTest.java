package io.stopplane.api.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvocationViewListenerTest {

    private final InvocationView view = new InvocationView();
    private final List<Long> told = new ArrayList<>();

    @Test
    void listenersAreToldTheNewestCopyAfterEachChange() {
        view.onChange(s -> told.add(s.version()));
        view.created(state(1));
        view.created(state(1)); // already there: no change
        view.apply(state(3));
        view.apply(state(2)); // older than the view's: ignored
        view.folded(state(2)); // older: the view keeps 3
        assertThat(told).containsExactly(1L, 3L, 3L);
    }

    private static InvocationState state(long version) {
        Instant now = Instant.now();
        return new InvocationState(InvokeId.of("t-listen1"), RegionId.of("cn-hangzhou"), null, now, now,
                List.of(InstanceState.pending(InstanceId.of("i-listen1"), now)), version);
    }
}
