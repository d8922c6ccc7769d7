package io.stopplane.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.audit.output.Format;
import io.stopplane.audit.replay.Progress;
import io.stopplane.audit.replay.TopicReader;
import io.stopplane.audit.timeline.TimelineCommand;
import io.stopplane.audit.timeline.TimelineQuery;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.json.StopPlaneJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/** {@code audit timeline} on the scenario's log: the events, their order, their callers, the windows and filters. */
@EmbeddedKafka(brokerProperties = {"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
class AuditTimelineIT {

    private static final Scenario S = new Scenario();
    private static String bootstrap;

    @BeforeAll
    static void publish() throws Exception {
        EmbeddedKafkaBroker embedded = EmbeddedKafkaCondition.getBroker();
        bootstrap = embedded.getBrokersAsString();
        Broker broker = new Broker(bootstrap);
        broker.createTopics();
        broker.publishEvents(S.events);
    }

    @Test
    void theTimelineOfAnInvocationIsEveryEventInOrderWithItsCallerAndChange() {
        Cli.Result r = Cli.run(bootstrap, "timeline", "--invoke-id", Scenario.A.value(), "--format", "json");

        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonNode> lines = json(r);
        assertThat(ids(lines)).containsExactly(S.aCreated.eventId(), S.a1Running.eventId(), S.a2Running.eventId(),
                S.bobStopsA1.eventId(), S.a1Terminated.eventId(), S.aliceStopsA.eventId(), S.a2Terminated.eventId(),
                S.a1LateDuplicate.eventId());
        assertThat(lines).extracting(l -> l.get("type").asString()).containsExactly("InvocationCreated",
                "InstanceStatusReported", "InstanceStatusReported", "StopRequested", "InstanceStatusReported",
                "StopRequested", "InstanceStatusReported", "InstanceStatusReported");
        assertThat(callers(lines)).containsExactly(
                "1111111111/LTAI5alice/10.0.0.1/req-alice-run-a", "-", "-",
                "2222222222/LTAI5bob/192.168.7.2/req-bob-stop-a1", "-",
                "1111111111/LTAI5alice/10.0.0.1/req-alice-stop-a", "-", "-");
        assertThat(changes(lines)).containsExactly(
                "i-audit0a1 Pending, i-audit0a2 Pending",
                "i-audit0a1 Pending->Running",
                "i-audit0a2 Pending->Running",
                "i-audit0a1 Running->Stopping",
                "i-audit0a1 Stopping->Terminated",
                "i-audit0a2 Running->Stopping",
                "i-audit0a2 Stopping->Terminated",
                "");
        assertThat(lines.get(7).get("ignored").asBoolean()).isTrue();
        assertThat(lines.get(6).get("statusFrom").asString()).isEqualTo("Stopping");
        assertThat(lines.get(6).get("statusTo").asString()).isEqualTo("Stopped");
        // the event itself, verbatim
        JsonNode written = StopPlaneJson.mapper().readTree(
                StopPlaneJson.mapper().writerFor(InvocationEvent.class).writeValueAsString(S.bobStopsA1));
        assertThat(lines.get(3).get("event")).isEqualTo(written);
        assertThat(lines.get(3).get("time").asString()).isEqualTo(S.bobStopsA1.occurredAt().toString());
    }

    @Test
    void theTableShowsTimeEventInstanceCallerAndStatusChange() {
        Cli.Result r = Cli.run(bootstrap, "timeline", "--invoke-id", Scenario.A.value());

        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.lines();
        assertThat(lines).hasSize(1 + 8);
        assertThat(lines.get(0)).containsSubsequence("TIME", "INVOKE ID", "EVENT", "INSTANCE", "ACCOUNT",
                "ACCESS KEY", "SOURCE IP", "REQUEST ID", "CHANGE");
        assertThat(lines.get(4)).containsSubsequence(S.bobStopsA1.occurredAt().toString().replace("Z", ".000Z"),
                Scenario.A.value(), "StopRequested", "i-audit0a1", "2222222222", "LTAI5bob", "192.168.7.2",
                "req-bob-stop-a1", "i-audit0a1 Running->Stopping", "[invocation Running->Stopping]");
        assertThat(lines.get(5)).contains("i-audit0a1 Stopping->Terminated (exit 143, ExecutionInterrupted)");
        assertThat(lines.get(6)).containsSubsequence("StopRequested", "(all)", "1111111111", "req-alice-stop-a",
                "i-audit0a2 Running->Stopping");
        assertThat(lines.get(7)).contains("[invocation Stopping->Stopped]");
        assertThat(lines.get(8)).contains("(no change: late, duplicate or not applicable)");
    }

    @Test
    void sinceAndUntilCutTheWholeLogAtEventTimesAndSkipWhatIsBeforeByOffsetsForTimes() {
        Cli.Result r = Cli.run(bootstrap, "timeline", "--since", S.at(30, 0).toString(), "--until",
                S.at(60, 1).toString(), "--format", "json");

        assertThat(r.exit()).as(r.err()).isZero();
        // since is inclusive, until exclusive: a2's Terminated at exactly --until is out
        assertThat(ids(json(r))).containsExactly(S.bobStopsA1.eventId(), S.a1Terminated.eventId(),
                S.bDeliveryTimeout.eventId(), S.aliceStopsA.eventId());
        // A's creation was not replayed: what came before is unknown, and said so
        assertThat(changes(json(r)).get(0)).isEqualTo("i-audit0a1 ?->Stopping");

        TimelineCommand command = new TimelineCommand(new TopicReader(bootstrap, Progress.none()), "invocation-events");
        command.run(new TimelineQuery(null, null, null, S.at(30, 0), S.at(60, 1), Set.of(), Format.JSON),
                new PrintStream(new ByteArrayOutputStream()));
        // the four events before --since minus the skew are never fetched, nor C's after --until plus the skew
        assertThat(command.stats().records()).isLessThanOrEqualTo(S.events.size() - 4 - 2);
    }

    @Test
    void aSinceAfterEverythingPrintsNothing() {
        Cli.Result r = Cli.run(bootstrap, "timeline", "--since", "1s", "--format", "json");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anAccountSeesWhatItDidAndWhatHappenedToWhatItOwns() {
        Cli.Result r = Cli.run(bootstrap, "timeline", "--account", Scenario.BOB, "--format", "json");

        assertThat(ids(json(r))).containsExactly(S.bCreated.eventId(), S.bobStopsA1.eventId(),
                S.bDeliveryTimeout.eventId());
        assertThat(changes(json(r)).get(2)).isEqualTo("i-audit0b1 Pending->Aborted");
    }

    @Test
    void anInstanceSeesEveryEventThatNamesItIncludingAStopOfAllTargets() {
        Cli.Result r = Cli.run(bootstrap, "timeline", "--instance-id", Scenario.A1.value(), "--format", "json");

        assertThat(ids(json(r))).containsExactly(S.aCreated.eventId(), S.a1Running.eventId(),
                S.bobStopsA1.eventId(), S.a1Terminated.eventId(), S.aliceStopsA.eventId(),
                S.a1LateDuplicate.eventId(), S.cCreated.eventId(), S.cRunning.eventId(), S.cSuccess.eventId());
    }

    @Test
    void typesSelectEvents() {
        Cli.Result r = Cli.run(bootstrap, "timeline", "--type", "StopRequested,TimeoutDetected", "--format", "json");

        assertThat(ids(json(r))).containsExactly(S.bobStopsA1.eventId(), S.bDeliveryTimeout.eventId(),
                S.aliceStopsA.eventId());
    }

    @Test
    void theWholeLogIsMergedByTimeAcrossPartitions() {
        Cli.Result r = Cli.run(bootstrap, "timeline", "--format", "json");

        assertThat(ids(json(r))).containsExactlyElementsOf(S.events.stream().map(InvocationEvent::eventId).toList());
    }

    @Test
    void atATerminalProgressAndTheRateGoToStderr() {
        Cli.Result r = Cli.run(Map.of("STOPPLANE_KAFKA_BOOTSTRAP", bootstrap), true, "timeline",
                "--invoke-id", Scenario.C.value());

        assertThat(r.exit()).isZero();
        assertThat(r.err()).containsPattern("\\[audit\\] invocation-events: \\d+ records .* records/s");
        assertThat(r.out()).contains("Success").doesNotContain("[audit]");
    }

    @Test
    void badArgumentsAreAUsageError() {
        assertThat(Cli.run(bootstrap, "timeline", "--since", "yesterday").exit()).isEqualTo(Audit.USAGE);
        assertThat(Cli.run(bootstrap, "timeline", "--type", "Nope").err()).contains("unknown --type Nope");
        assertThat(Cli.run(bootstrap, "timeline", "--format", "xml").exit()).isEqualTo(Audit.USAGE);
        assertThat(Cli.run(bootstrap, "verify", "--invoke-id", "t-1").exit()).isEqualTo(Audit.USAGE);
        assertThat(Cli.run(bootstrap, "nope").exit()).isEqualTo(Audit.USAGE);
    }

    private static List<JsonNode> json(Cli.Result r) {
        return r.lines().stream().map(l -> StopPlaneJson.mapper().readTree(l)).toList();
    }

    private static List<String> ids(List<JsonNode> lines) {
        return lines.stream().map(l -> l.get("event").get("eventId").asString()).toList();
    }

    private static List<String> callers(List<JsonNode> lines) {
        return lines.stream().map(l -> {
            JsonNode c = l.get("caller");
            return c == null ? "-" : c.get("accountId").asString() + "/" + c.get("accessKeyId").asString() + "/"
                    + c.get("sourceIp").asString() + "/" + c.get("requestId").asString();
        }).toList();
    }

    private static List<String> changes(List<JsonNode> lines) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : lines) {
            List<String> parts = new ArrayList<>();
            for (JsonNode c : l.get("changes")) {
                parts.add(c.get("instanceId").asString() + " "
                        + (c.has("from") ? c.get("from").asString() + "->" : "") + c.get("to").asString());
            }
            out.add(String.join(", ", parts));
        }
        return out;
    }
}
