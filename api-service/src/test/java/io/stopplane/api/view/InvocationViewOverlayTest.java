package io.stopplane.api.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher is the view's one writer; this instance's own stops are an overlay on its copies until one includes
 * them. The dispatcher's fold is played here by the same pure fold, in the order it may happen in production: a report
 * of another target folded before the stop.
 */
class InvocationViewOverlayTest {

    private static final InvokeId ID = InvokeId.of("t-overlay1");
    private static final InstanceId A = InstanceId.of("i-overlaya");
    private static final InstanceId B = InstanceId.of("i-overlayb");
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    private final InvocationView view = new InvocationView();

    @Test
    void aStopNeverVanishesFromReadsWhileOtherTargetsReportAndGoesOnceTheDispatchersStateIncludesIt() {
        InvocationState topic = running();
        view.apply(topic);
        StopRequested stop = new StopRequested(UUID.randomUUID().toString(), ID, T0.plusSeconds(5), List.of(A), null);
        view.stopped(stop);
        assertThat(status(A)).isEqualTo(InstanceStatus.STOPPING);
        assertThat(view.pendingStops()).isOne();

        // the dispatcher folds B's report before the stop: its copy has no stop, and a version as new as ours
        topic = fold(topic, report(B, InstanceStatus.SUCCESS, 6));
        view.apply(topic);
        assertThat(status(A)).as("the stop stays shown").isEqualTo(InstanceStatus.STOPPING);
        assertThat(view.get(ID).orElseThrow().instance(A).orElseThrow().stopTime()).isEqualTo(T0.plusSeconds(5));
        assertThat(status(B)).as("and the other target's report shows too").isEqualTo(InstanceStatus.SUCCESS);

        // then the stop itself: the overlay is included, dropped, and the view is the dispatcher's copy again
        topic = fold(topic, stop);
        view.apply(topic);
        assertThat(view.pendingStops()).isZero();
        assertThat(view.get(ID)).contains(topic);

        topic = fold(topic, report(A, InstanceStatus.TERMINATED, 7));
        view.apply(topic);
        assertThat(view.get(ID)).contains(topic);
        assertThat(status(A)).isEqualTo(InstanceStatus.TERMINATED);
    }

    @Test
    void targetRecordsAreLaidOnTheInvocationsStateAndAStopStaysShownUntilTheTargetsRecordIncludesIt() {
        InvocationState created = new InvocationState(ID, RegionId.of("cn-hangzhou"), null, T0, T0,
                List.of(InstanceState.pending(A, T0), InstanceState.pending(B, T0)), 1);
        view.apply(created);
        InvocationState topic = written(created, report(A, InstanceStatus.RUNNING, 1));
        topic = written(topic, report(B, InstanceStatus.RUNNING, 2));
        assertThat(view.get(ID)).contains(topic);

        StopRequested stop = new StopRequested(UUID.randomUUID().toString(), ID, T0.plusSeconds(5), List.of(), null);
        view.stopped(stop);
        topic = written(topic, report(B, InstanceStatus.SUCCESS, 6));
        assertThat(status(A)).as("the stop stays shown").isEqualTo(InstanceStatus.STOPPING);
        assertThat(status(B)).isEqualTo(InstanceStatus.SUCCESS);

        topic = written(topic, stop);
        assertThat(view.pendingStops()).isZero();
        assertThat(view.get(ID)).contains(topic);
        topic = written(topic, report(A, InstanceStatus.TERMINATED, 7));
        assertThat(view.get(ID)).as("the dispatcher's state, version and update time included").contains(topic);

        view.remove(InvocationState.targetKey(ID, A));
        assertThat(view.get(ID)).as("a target's tombstone alone removes nothing").isPresent();
        view.remove(ID.value());
        view.apply(InvocationState.targetKey(ID, A), topic.target(topic.instance(A).orElseThrow()));
        assertThat(view.get(ID)).as("a target record without its invocation is dropped").isEmpty();
    }

    /** The dispatcher folds {@code e} and writes a record of each target it changed; the view reads them. */
    private InvocationState written(InvocationState before, InvocationEvent e) {
        InvocationState after = fold(before, e);
        for (InstanceState i : after.instances()) {
            if (!before.instance(i.instanceId()).orElseThrow().equals(i)) {
                view.apply(InvocationState.targetKey(ID, i.instanceId()), after.target(i));
            }
        }
        return after;
    }

    @Test
    void aStopOfATargetThatFinishedMeanwhileIsDroppedWithTheCopyThatShowsItFinished() {
        InvocationState topic = running();
        view.apply(topic);
        view.stopped(new StopRequested(UUID.randomUUID().toString(), ID, T0.plusSeconds(5), List.of(A), null));

        topic = fold(topic, report(A, InstanceStatus.SUCCESS, 6)); // it finished before the stop reached it
        view.apply(topic);
        assertThat(view.pendingStops()).isZero();
        assertThat(status(A)).isEqualTo(InstanceStatus.SUCCESS);
    }

    @Test
    void anOlderCopyFromTheTopicChangesNothing() {
        InvocationState v1 = running();
        InvocationState v2 = fold(v1, report(B, InstanceStatus.SUCCESS, 6));
        view.apply(v2);
        view.stopped(new StopRequested(UUID.randomUUID().toString(), ID, T0.plusSeconds(7), List.of(A), null));
        InvocationState shown = view.get(ID).orElseThrow();
        view.apply(v1);
        assertThat(view.get(ID)).contains(shown);
    }

    private InstanceStatus status(InstanceId id) {
        return view.get(ID).orElseThrow().instance(id).orElseThrow().status();
    }

    private static InvocationState running() {
        InvocationState s = new InvocationState(ID, RegionId.of("cn-hangzhou"), null, T0, T0,
                List.of(InstanceState.pending(A, T0), InstanceState.pending(B, T0)), 1);
        s = fold(s, report(A, InstanceStatus.RUNNING, 1));
        return fold(s, report(B, InstanceStatus.RUNNING, 2));
    }

    private static InvocationState fold(InvocationState s, InvocationEvent e) {
        return InvocationFold.apply(s, e);
    }

    private static InstanceStatusReported report(InstanceId id, InstanceStatus status, int second) {
        return new InstanceStatusReported(UUID.randomUUID().toString(), ID, T0.plusSeconds(second), id, status,
                status.isTerminal() ? 0 : null, null, null, null, 0);
    }
}
