package io.stopplane.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.audit.replay.EventLog;
import io.stopplane.audit.verify.VerifyCommand.Mismatch;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationModified;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    private static final Instant T = Instant.parse("2026-11-27T09:00:00.123456789Z");
    private static final InvokeId ID = InvokeId.of("t-cmp0001");
    private static final InstanceId I1 = InstanceId.of("i-cmp1");
    private static final InstanceId I2 = InstanceId.of("i-cmp2");

    private final Comparison comparison = new Comparison("invocation-events", "invocation-state");
    private final InvocationState created = EventLog.fold(null, new InvocationCreated("e1", ID, T,
            RegionId.of("cn-hangzhou"), new CommandSpec(CommandId.of("c-cmp"), "n", null, "RunShellScript", "true", 60,
                    null, null, null), List.of(I1), new Caller("1", null, "10.0.0.1", "r"), "tok", "dig"));
    private final InvocationState running = EventLog.fold(created, new InstanceStatusReported("e2", ID,
            T.plusSeconds(1), I1, InstanceStatus.RUNNING, null, null, null, null, 0));

    @Test
    void theStateAsWrittenEqualsTheFoldThroughJsonToTheNanosecond() {
        assertThat(comparison.of(ID.value(), running, json(running), List.of())).isEmpty();
    }

    @Test
    void theStateAsCreatedWithItsTargetRecordsLaidOnItEqualsTheFold() {
        assertThat(comparison.of(ID.value(), running, json(created), List.of(json(running.target(
                running.instances().get(0)))))).isEmpty();
        assertThat(comparison.of(ID.value(), null, null, List.of(json(running.target(running.instances().get(0))))))
                .get().extracting(Mismatch::detail)
                .isEqualTo("1 target record(s) in invocation-state without the invocation's record");
    }

    @Test
    void aStateBehindTheLogIsReportedAsSuch() {
        Optional<Mismatch> m = comparison.of(ID.value(), running, json(created), List.of());

        assertThat(m).get().extracting(Mismatch::text).asString().startsWith("MISMATCH t-cmp0001: version 2 "
                + "expected, 1 found (the state is behind the log: is the dispatcher running and caught up?); "
                + "updateTime: expected \"2026-11-27T09:00:01.123456789Z\", found \"2026-11-27T09:00:00.123456789Z\"; "
                + "instances[i-cmp1].status: expected \"Running\", found \"Pending\"");
    }

    @Test
    void missingUnexpectedAndUnreadableStatesAreMismatches() {
        assertThat(comparison.of(ID.value(), running, null, List.of())).get().extracting(Mismatch::detail)
                .isEqualTo("missing from invocation-state (expected version 2, Running)");
        assertThat(comparison.of(ID.value(), null, json(running), List.of())).get().extracting(Mismatch::detail)
                .isEqualTo("in invocation-state (version 2, Running) but no event of invocation-events creates it");
        assertThat(comparison.of(ID.value(), running, "{\"invokeId\":".getBytes(StandardCharsets.UTF_8), List.of())).get()
                .extracting(Mismatch::detail).asString().startsWith("unreadable state record: ");
        assertThat(comparison.of(ID.value(), null, null, List.of())).isEmpty();
    }

    @Test
    void fieldsAddedByANewerWriterAreNoMismatch() {
        String newer = new String(json(running), StandardCharsets.UTF_8).replaceFirst("\\{", "{\"addedLater\":42,");

        assertThat(comparison.of(ID.value(), running, newer.getBytes(StandardCharsets.UTF_8), List.of())).isEmpty();
    }

    @Test
    void differencesNameTheFieldAndTheTarget() {
        String other = new String(json(running), StandardCharsets.UTF_8).replace("\"tok\"", "\"other\"")
                .replace("\"Running\"", "\"Failed\"");

        assertThat(comparison.of(ID.value(), running, other.getBytes(StandardCharsets.UTF_8), List.of())).get()
                .extracting(Mismatch::detail).isEqualTo("version 2 expected, 2 found; "
                        + "instances[i-cmp1].status: expected \"Running\", found \"Failed\"; "
                        + "clientToken: expected \"tok\", found \"other\"; "
                        + "invocationStatus: expected \"Running\", found \"Failed\"");
    }

    @Test
    void aModifiedInvocationsRewrittenRecordWithItsTargetRecordsEqualsTheFoldAndTheRecordAsCreatedDoesNot() {
        InvocationState scheduled = EventLog.fold(null, new InvocationCreated("m1", ID, T, RegionId.of("cn-hangzhou"),
                created.command(), List.of(I1), new Caller("1", null, "10.0.0.1", "r"), null, null, null,
                new Schedule("rate(1h)", "UTC")));
        InvocationState modified = EventLog.fold(scheduled, new InvocationModified("m2", ID, T.plusSeconds(5),
                "echo new", null, "rate(2h)", "UTC", List.of(I2), 1, null));
        List<byte[]> targets = modified.instances().stream().map(i -> json(modified.target(i))).toList();

        assertThat(comparison.of(ID.value(), modified, json(modified), targets)).isEmpty();
        assertThat(comparison.of(ID.value(), modified, json(scheduled), targets)).get().extracting(Mismatch::detail)
                .asString().contains("command.content").contains("schedule");
    }

    private static byte[] json(Object s) {
        return StopPlaneJson.mapper().writeValueAsBytes(s);
    }
}
