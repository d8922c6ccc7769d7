package io.stopplane.audit.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.audit.replay.EventLog;
import io.stopplane.audit.output.Format;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.InvocationModified;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What a timeline says each event did, and what its filters keep, without a broker. */
class TimelineFoldTest {

    private static final Instant T = Instant.parse("2026-11-27T09:00:00Z");
    private static final InvokeId ID = InvokeId.of("t-unit0001");
    private static final InstanceId I1 = InstanceId.of("i-unit1");
    private static final InstanceId I2 = InstanceId.of("i-unit2");
    private static final Caller OWNER = new Caller("111", "ak-owner", "10.0.0.1", "r-1");
    private static final Caller ADMIN = new Caller("999", "ak-admin", "10.0.0.9", "r-2");

    private final InvocationCreated created = new InvocationCreated("e1", ID, T, RegionId.of("cn-hangzhou"),
            new CommandSpec(CommandId.of("c-unit"), null, null, "RunShellScript", "true", 60, null, null, null),
            List.of(I1, I2), OWNER);
    private final InstanceStatusReported running = report("e2", I1, InstanceStatus.RUNNING, 1, null, null);
    private final StopRequested stopAll = new StopRequested("e3", ID, T.plusSeconds(2), List.of(), ADMIN);
    private final TimeoutDetected stopTimeout = new TimeoutDetected("e4", ID, T.plusSeconds(3), I1,
            TimeoutDetected.Kind.STOP, "ClientNotResponse", "the stop has not been acknowledged");
    private final InstanceStatusReported terminated = report("e5", I1, InstanceStatus.TERMINATED, 4, 137,
            "ExecutionInterrupted");
    private final InstanceStatusReported cancelled = report("e6", I2, InstanceStatus.CANCELLED, 5, null, null);
    private final InstanceStatusReported duplicate = report("e7", I2, InstanceStatus.CANCELLED, 6, null, null);
    private final List<InvocationEvent> log = List.of(created, running, stopAll, stopTimeout, terminated, cancelled,
            duplicate);

    @Test
    void eachEventShowsTheChangesItMadeAsTheFoldSawThem() {
        List<String> rows = entries(log).stream().map(TableFormat::change).toList();

        assertThat(rows).containsExactly(
                "i-unit1 Pending; i-unit2 Pending [invocation Pending]",
                "i-unit1 Pending->Running [invocation Pending->Running]",
                "i-unit1 Running->Stopping; i-unit2 Pending->Stopping [invocation Running->Stopping]",
                "Stop timeout: i-unit1 Stopping->Stopping (ClientNotResponse)",
                "i-unit1 Stopping->Terminated (exit 137, ExecutionInterrupted)",
                "i-unit2 Stopping->Cancelled [invocation Stopping->Stopped]",
                "(no change: late, duplicate or not applicable)");
    }

    @Test
    void withoutTheCreationTheChangeIsWhatTheEventItselfSays() {
        List<String> rows = entries(log.subList(2, 5)).stream().map(TableFormat::change).toList();

        // a stop that names no target, of an invocation not seen: its targets are unknown (the row says "(all)")
        assertThat(rows).containsExactly("-",
                "Stop timeout: i-unit1 ?->Stopping (ClientNotResponse)",
                "i-unit1 ?->Terminated (exit 137, ExecutionInterrupted)");
    }

    @Test
    void aCreationWithParametersNamesItsCommandAndParametersNeverTheirValues() {
        InvocationCreated withParameters = new InvocationCreated("e8", ID, T, RegionId.of("cn-hangzhou"),
                created.command(), List.of(I1), OWNER, null, null, Map.of("who", "s3cr3t", "day", "monday"));

        String change = TableFormat.change(entries(List.of(withParameters)).get(0));

        assertThat(change).startsWith("c-unit with parameters day, who: i-unit1 Pending").doesNotContain("s3cr3t");
    }

    @Test
    void theCallerIsInTheRowOfTheEventsApiCallsMadeAndADashForAgentsAndTimers() {
        List<TimelineEntry> entries = entries(log);

        assertThat(TableFormat.row(entries.get(2))).containsSubsequence("StopRequested", "(all)", "999", "ak-admin",
                "10.0.0.9", "r-2");
        assertThat(TableFormat.row(entries.get(4))).containsSubsequence("InstanceStatusReported", "i-unit1", "-", "-",
                "-", "-");
    }

    @Test
    void anAccountSeesItsOwnCallsAndEverythingOfWhatItOwns() {
        assertThat(select(new TimelineQuery(null, null, "999", null, null, Set.of(), Format.TABLE)))
                .containsExactly("e3");
        assertThat(select(new TimelineQuery(null, null, "111", null, null, Set.of(), Format.TABLE)))
                .containsExactly("e1", "e2", "e3", "e4", "e5", "e6", "e7");
    }

    @Test
    void aStopOfAllTargetsTouchesEachTarget() {
        assertThat(select(new TimelineQuery(null, "i-unit2", null, null, null, Set.of(), Format.TABLE)))
                .containsExactly("e1", "e3", "e6", "e7");
    }

    @Test
    void theWindowIsSinceInclusiveUntilExclusiveOnEventTime() {
        assertThat(select(new TimelineQuery(null, null, null, T.plusSeconds(2), T.plusSeconds(4), Set.of(),
                Format.TABLE))).containsExactly("e3", "e4");
    }

    @Test
    void mergingPartitionsOrdersByTimeAndNeverReordersAPartition() {
        List<TimelineEntry> all = entries(log);
        Map<Integer, List<TimelineEntry>> byPartition = new TreeMap<>();
        // partition 0 holds an event stamped later than its successor (a producer's clock ahead)
        byPartition.put(0, List.of(all.get(0), all.get(3), all.get(1)));
        byPartition.put(1, List.of(all.get(2), all.get(4)));

        assertThat(TimelineCommand.merge(byPartition)).extracting(e -> e.event().eventId())
                .containsExactly("e1", "e3", "e4", "e2", "e5");
    }

    @Test
    void aModificationSaysWhatItChangedNeverTheValuesAndItsAddedTargetsJoinScheduled() {
        InvocationCreated scheduled = new InvocationCreated("m1", ID, T, RegionId.of("cn-hangzhou"),
                created.command().withContent("echo {{who}}"), List.of(I1), OWNER, null, null, Map.of("who", "a"),
                new Schedule("rate(1h)", "UTC"));
        InvocationModified modified = new InvocationModified("m2", ID, T.plusSeconds(5), "echo s3cr3t {{who}}",
                Map.of("who", "s3cr3t-value"), "rate(2h)", "UTC", List.of(I2), 1, ADMIN);
        InvocationModified contentOnly = new InvocationModified("m3", ID, T.plusSeconds(6), "echo again {{who}}",
                null, null, null, List.of(), 2, ADMIN);
        List<TimelineEntry> entries = entries(List.of(scheduled, modified, contentOnly));

        assertThat(TableFormat.change(entries.get(1))).isEqualTo(
                "revision 1: content, Frequency rate(2h), parameters who, 1 instance(s) added: i-unit2 Scheduled")
                .doesNotContain("s3cr3t");
        assertThat(TableFormat.row(entries.get(1))).containsSubsequence("InvocationModified", "i-unit2", "999",
                "ak-admin");
        assertThat(TableFormat.change(entries.get(2))).isEqualTo("revision 2: content: -");
        assertThat(TableFormat.row(entries.get(2))).contains("(all)");
        assertThat(entries.get(2).ignored()).isFalse();
        assertThat(TableFormat.change(entries(List.of(contentOnly, modified)).get(1)))
                .as("without the creation: what the event says").endsWith(": i-unit2 Scheduled");

        List<String> forI1 = new ArrayList<>();
        InvocationState state = null;
        TimelineQuery q = new TimelineQuery(null, "i-unit1", null, null, null, Set.of(), Format.TABLE);
        for (InvocationEvent e : List.of(scheduled, modified, contentOnly)) {
            InvocationState after = EventLog.fold(state, e);
            if (q.matches(e, state, after)) {
                forI1.add(e.eventId());
            }
            state = after;
        }
        assertThat(forI1).as("a modification changes what every target runs next").containsExactly("m1", "m2", "m3");
    }

    private List<String> select(TimelineQuery q) {
        List<String> out = new ArrayList<>();
        InvocationState state = null;
        for (InvocationEvent e : log) {
            InvocationState after = EventLog.fold(state, e);
            if (q.matches(e, state, after)) {
                out.add(e.eventId());
            }
            state = after;
        }
        return out;
    }

    private static List<TimelineEntry> entries(List<InvocationEvent> events) {
        List<TimelineEntry> out = new ArrayList<>();
        InvocationState state = null;
        long offset = 0;
        for (InvocationEvent e : events) {
            InvocationState after = EventLog.fold(state, e);
            out.add(TimelineEntry.of(0, offset++, e, state, after, null));
            state = after;
        }
        return out;
    }

    private static InstanceStatusReported report(String id, InstanceId instance, InstanceStatus status, int seconds,
            Integer exit, String errorCode) {
        return new InstanceStatusReported(id, ID, T.plusSeconds(seconds), instance, status, exit, errorCode, null,
                null, 0);
    }
}
