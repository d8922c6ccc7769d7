package io.stopplane.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.command.StopCommand;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

public class PendingTest {

    private static final InstanceId A = InstanceId.of("mi-aaaaaaaaaaaaaaaaaaaa");
    private static final InstanceId B = InstanceId.of("mi-bbbbbbbbbbbbbbbbbbbb");
    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");

    private final Pending pending = new Pending(new SimpleMeterRegistry());

    /** For tests of other packages: a command read from the topic at {@code offset}. */
    public static Pending.Subscriber read(Pending pending, long offset, InstanceCommand command) {
        return pending.add(offset, command);
    }

    public static RunCommand run(InvokeId t, InstanceId i) {
        return new RunCommand(UUID.randomUUID().toString(), t, i, NOW,
                new CommandSpec(CommandId.of("c-1"), "n", null, CommandSpec.RUN_SHELL_SCRIPT, "true", 60, null, null,
                        null));
    }

    static StopCommand stop(InvokeId t, InstanceId i) {
        return new StopCommand(UUID.randomUUID().toString(), t, i, NOW, "req");
    }

    @Test
    void aSubscriberGetsItsInstancesPendingCommandsInTheOrderRead() {
        InvokeId t1 = InvokeId.of("t-1");
        InvokeId t2 = InvokeId.of("t-2");
        RunCommand run1 = run(t1, A);
        RunCommand run2 = run(t2, A);
        StopCommand stop1 = stop(t1, A);
        pending.add(10, run1);
        pending.add(11, run2);
        pending.add(12, run(t1, B));
        pending.add(13, stop1);
        List<InstanceCommand> pushed = new ArrayList<>();
        assertThat(pending.subscribe(A, pushed::addAll)).containsExactly(run1, run2, stop1);
        assertThat(pending.targets(t1, A)).isTrue();
        assertThat(pending.targets(t1, B)).isTrue();
        assertThat(pending.targets(InvokeId.of("t-3"), A)).isFalse();
    }

    @Test
    void newCommandsGoToTheSubscriberAndOnlyItsInstances() {
        Pending.Subscriber a = commands -> { };
        pending.subscribe(A, a);
        assertThat(pending.add(1, run(InvokeId.of("t-1"), A))).isSameAs(a);
        assertThat(pending.add(2, run(InvokeId.of("t-1"), B))).isNull();
        pending.unsubscribe(A, a);
        assertThat(pending.add(3, run(InvokeId.of("t-2"), A))).isNull();
    }

    @Test
    void aFinalPairsCommandsAreDroppedButItStaysATargetUntilForgotten() {
        InvokeId t = InvokeId.of("t-1");
        pending.add(1, run(t, A));
        pending.markFinal(t, A, NOW, false);
        assertThat(pending.subscribe(A, c -> { })).isEmpty();
        assertThat(pending.targets(t, A)).isTrue();
        // a stop read after the end is of no use either
        assertThat(pending.add(2, stop(t, A))).isNull();
        assertThat(pending.subscribe(A, c -> { })).isEmpty();
        pending.sweep(NOW.plusSeconds(1), null);
        assertThat(pending.targets(t, A)).isFalse();
    }

    @Test
    void aFinalStateReadBeforeItsCommandIsRememberedOnlyWhenAsked() {
        InvokeId early = InvokeId.of("t-1");
        InvokeId late = InvokeId.of("t-2");
        pending.markFinal(early, A, NOW, true);
        pending.markFinal(late, A, NOW, false);
        pending.add(1, run(early, A));
        pending.add(2, run(late, A));
        assertThat(pending.subscribe(A, c -> { })).extracting(InstanceCommand::invokeId).containsExactly(late);
        assertThat(pending.targets(early, A)).isTrue();
    }

    @Test
    void staleNeverFinalPairsAreForgottenWithTheReplayWindow() {
        InvokeId t = InvokeId.of("t-1");
        pending.add(1, run(t, A));
        pending.sweep(NOW.minusSeconds(60), NOW.minusSeconds(1));
        assertThat(pending.targets(t, A)).isTrue();
        pending.sweep(NOW.minusSeconds(60), NOW.plusSeconds(1));
        assertThat(pending.targets(t, A)).isFalse();
        assertThat(pending.subscribe(A, c -> { })).isEmpty();
    }

    @Test
    void ofAScheduleOnlyTheLatestRunIsKeptForAnAgentThatComesBack() {
        InvokeId t = InvokeId.of("t-sched");
        RunCommand base = run(t, A);
        RunCommand run1 = new RunCommand("r1", t, A, NOW, base.command(), 1);
        RunCommand run2 = new RunCommand("r2", t, A, NOW.plusSeconds(60), base.command(), 2);
        StopCommand stop = stop(t, A);
        pending.add(1, run1);
        pending.add(2, run2);
        pending.add(3, stop);
        assertThat(pending.subscribe(A, c -> { })).containsExactly(run2, stop);
        assertThat(pending.targets(t, A)).isTrue();
    }
}
