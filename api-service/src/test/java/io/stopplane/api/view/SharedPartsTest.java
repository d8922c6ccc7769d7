package io.stopplane.api.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.state.InvocationTarget;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedPartsTest {

    private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");

    @Test
    void aSharedStateKeepsItsScheduleParametersAndEachTargetsRuns() {
        InstanceId a = InstanceId.of("i-shared1");
        InvocationState created = InvocationFold.apply(null, new InvocationCreated("e0", InvokeId.of("t-shared1"), T0,
                RegionId.of("cn-hangzhou"), new CommandSpec(CommandId.of("c-shared"), null, null,
                        CommandSpec.RUN_SHELL_SCRIPT, "echo {{x}}", 10, null, null, null), List.of(a),
                new Caller(null, null, null, null), null, null, Map.of("x", "1"), new Schedule("rate(1m)", "UTC")));
        InvocationState issued = InvocationFold.apply(created, new TimeoutDetected("e1", created.invokeId(),
                T0.plusSeconds(60), a, TimeoutDetected.Kind.RUN, null, null, 1));
        SharedParts parts = new SharedParts();

        assertThat(parts.share(created, null)).isEqualTo(created);
        InvocationTarget target = issued.target(issued.instance(a).orElseThrow());
        assertThat(parts.share(target)).isEqualTo(target);
        assertThat(parts.share(target).instance().run()).isEqualTo(1);
        assertThat(parts.share(target).instance().delivering()).isTrue();
    }
}
