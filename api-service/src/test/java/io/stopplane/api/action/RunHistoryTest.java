package io.stopplane.api.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunHistoryTest {

    private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");
    private static final InvokeId ID = InvokeId.of("t-history1");
    private static final InstanceId A = InstanceId.of("i-hista");
    private static final InstanceId B = InstanceId.of("i-histb");

    @Test
    void eachRunOfEachTargetIsOneRecordWithItsOwnOutcomeAndTheLateCopiesAreLeftOut() {
        InvocationCreated created = new InvocationCreated("e0", ID, T0, RegionId.of("cn-hangzhou"),
                new CommandSpec(CommandId.of("c-hist"), null, null, CommandSpec.RUN_SHELL_SCRIPT, "date", 10, null,
                        null, null), List.of(A, B), new Caller(null, null, null, null), null, null, null,
                new Schedule("rate(1m)", "UTC"));
        InvocationState state = InvocationFold.apply(null, created);
        List<InvocationEvent> log = new ArrayList<>(List.of(created));
        log.addAll(run(B, 1, 60, 0));
        log.addAll(run(A, 1, 60, 0));
        log.addAll(run(A, 2, 120, 3));
        log.add(report(A, 2, InstanceStatus.SUCCESS, 130, 0)); // a late copy of another outcome

        List<InstanceState> runs = RunHistory.runs(state, log);

        assertThat(runs).extracting(i -> i.instanceId().value() + "#" + i.run() + ":" + i.status().wireName())
                .containsExactly("i-hista#1:Success", "i-hista#2:Failed", "i-histb#1:Success");
        InstanceState second = runs.get(1);
        assertThat(second.exitCode()).isEqualTo(3);
        assertThat(second.output()).isEqualTo("run 2");
        assertThat(second.startTime()).isEqualTo(T0.plusSeconds(121));
        assertThat(second.finishTime()).isEqualTo(T0.plusSeconds(122));
        Map<String, Object> row = InvocationRenderer.result(state, second, (s, i) -> i.output(), false);
        assertThat(row).containsEntry("InvokeRecordStatus", "Failed").containsEntry("Repeats", 2)
                .containsEntry("Output", "run 2").containsEntry("FinishedTime", "2026-12-07T06:02:02Z");
    }

    private static List<InstanceStatusReported> run(InstanceId id, int run, int dueSecond, int exitCode) {
        return List.of(report(id, run, InstanceStatus.RUNNING, dueSecond + 1, null),
                report(id, run, exitCode == 0 ? InstanceStatus.SUCCESS : InstanceStatus.FAILED, dueSecond + 2,
                        exitCode));
    }

    private static InstanceStatusReported report(InstanceId id, int run, InstanceStatus status, int second,
            Integer exitCode) {
        return new InstanceStatusReported("e-" + id + run + status + second, ID, T0.plusSeconds(second), id, status,
                exitCode, null, null, status.isTerminal() ? "run " + run : null, 0, null, run);
    }
}
