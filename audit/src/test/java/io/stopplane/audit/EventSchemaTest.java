package io.stopplane.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.CloudEvents;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.TimeoutDetected;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.library.LibraryCommand;
import io.stopplane.model.schedule.RepeatMode;
import io.stopplane.model.schedule.Schedule;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The published JSON Schemas against what the model writes, and against the examples of {@code docs/events.md}; what
 * they accept (a field added later) and refuse (a required field missing, a malformed id, a status that does not exist).
 */
class EventSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Scenario S = new Scenario();

    @Test
    void everyEventOfTheScenarioConformsToTheSchemaOfItsTypeAndToTheTopicSchema() throws IOException {
        for (InvocationEvent e : S.events) {
            JsonNode value = JSON.readTree(StopPlaneJson.mapper().writerFor(InvocationEvent.class)
                    .writeValueAsBytes(e));
            String type = CloudEvents.of(e, "/test").get("ce_type");
            assertThat(PublishedSchemas.errors(type, value)).as(type + " " + value).isEmpty();
            assertThat(PublishedSchemas.errors("invocation-events", value)).as(value.toString()).isEmpty();
        }
    }

    @Test
    void statesOutputsAndHeartbeatsConformToo() throws IOException {
        for (InvocationState s : Broker.fold(S.events).values()) {
            assertThat(PublishedSchemas.errors("io.stopplane.state.InvocationState", tree(s))).isEmpty();
            for (var target : s.withoutOutputs().instances()) {
                assertThat(PublishedSchemas.errors("io.stopplane.state.InvocationTarget", tree(s.target(target))))
                        .isEmpty();
            }
        }
        InvocationState withOutput = io.stopplane.model.state.InvocationFold.apply(
                Broker.fold(S.events.subList(0, 12)).get(Scenario.C.value()), S.cSuccess);
        assertThat(withOutput.outputs()).hasSize(1);
        assertThat(PublishedSchemas.errors("io.stopplane.output.InstanceOutput", tree(withOutput.outputs().get(0))))
                .isEmpty();
        for (var h : S.heartbeats) {
            assertThat(PublishedSchemas.errors("io.stopplane.agent.Heartbeat", tree(h))).isEmpty();
        }
    }

    @Test
    void libraryCommandsLiveAndDeletedAndAnInvocationWithParametersConform() throws IOException {
        Instant at = Instant.parse("2026-11-27T09:10:00.250Z");
        Caller alice = new Caller("1234567890123456", "LTAI5tAliceExampleKey", "203.0.113.10", "R-1");
        LibraryCommand live = new LibraryCommand(CommandId.of("c-hz01b2k4ctv6gw0"), "1234567890123456",
                RegionId.of("cn-hangzhou"), "greet", null, "RunShellScript", "echo {{greeting}} {{ACS::InstanceId}}",
                60, null, true, List.of("greeting"), at, at, false, alice, 1);
        for (LibraryCommand c : List.of(live, live.deletedBy(alice, at.plusSeconds(60)))) {
            assertThat(PublishedSchemas.errors("io.stopplane.library.Command", tree(c))).as(tree(c).toString())
                    .isEmpty();
        }
        ObjectNode created = (ObjectNode) JSON.readTree(StopPlaneJson.mapper().writerFor(InvocationEvent.class)
                .writeValueAsBytes(S.events.get(0)));
        created.putObject("parameters").put("greeting", "hello");
        assertThat(PublishedSchemas.errors("io.stopplane.invocation.InvocationCreated", created)).isEmpty();
        created.putObject("parameters").put("greeting", 7);
        assertThat(PublishedSchemas.errors("io.stopplane.invocation.InvocationCreated", created)).isNotEmpty();
        assertThat(PublishedSchemas.errors("io.stopplane.library.Command", ((ObjectNode) tree(live)).deepCopy()
                .put("commandId", "cmd-1"))).isNotEmpty();
    }

    @Test
    void theRebootModesRecordsConformAndAMalformedBootIdIsRefused() throws IOException {
        String boot1 = "7f9c2ba4-e88f-4d0a-8b55-0c1d2e3f4a51";
        String boot2 = "7f9c2ba4-e88f-4d0a-8b55-0c1d2e3f4a52";
        InvocationCreated created = new InvocationCreated("e-r1", Scenario.C, S.at(0, 0), Scenario.REGION,
                S.cCreated.command(), List.of(Scenario.A1), Scenario.alice("req-reboot"), null, null, null,
                Schedule.onReboot(RepeatMode.EVERY_REBOOT));
        TimeoutDetected boot = new TimeoutDetected("e-r2", Scenario.C, S.at(0, 1), Scenario.A1,
                TimeoutDetected.Kind.BOOT, null, null, null, boot1);
        TimeoutDetected run = new TimeoutDetected("e-r3", Scenario.C, S.at(5, 0), Scenario.A1,
                TimeoutDetected.Kind.RUN, null, null, 1, boot2);
        InvocationState state = null;
        for (InvocationEvent e : List.of(created, boot, run)) {
            JsonNode value = JSON.readTree(StopPlaneJson.mapper().writerFor(InvocationEvent.class)
                    .writeValueAsBytes(e));
            String type = CloudEvents.of(e, "/test").get("ce_type");
            assertThat(PublishedSchemas.errors(type, value)).as(type + " " + value).isEmpty();
            assertThat(PublishedSchemas.errors("invocation-events", value)).as(value.toString()).isEmpty();
            state = InvocationFold.apply(state, e);
        }
        assertThat(state.instances().get(0).bootId()).isEqualTo(boot2);
        assertThat(PublishedSchemas.errors("io.stopplane.state.InvocationState", tree(state))).isEmpty();
        assertThat(PublishedSchemas.errors("io.stopplane.state.InvocationTarget",
                tree(state.target(state.instances().get(0))))).isEmpty();
        assertThat(PublishedSchemas.errors("io.stopplane.agent.Heartbeat", tree(new AgentHeartbeat(Scenario.A1,
                Scenario.REGION, null, "0.1.0", "host-a", S.at(0, 0), boot1)))).isEmpty();

        ObjectNode bad = (ObjectNode) JSON.readTree(StopPlaneJson.mapper().writerFor(InvocationEvent.class)
                .writeValueAsBytes(run));
        assertThat(PublishedSchemas.errors("io.stopplane.invocation.TimeoutDetected",
                bad.put("bootId", "NOT-A-BOOT-ID"))).isNotEmpty();
    }

    @Test
    void aModificationItsRevisionedTimersAndTheModifiedStateConformAndABadOneIsRefused() throws IOException {
        InvocationCreated created = new InvocationCreated("e-m1", Scenario.C, S.at(0, 0), Scenario.REGION,
                S.cCreated.command(), List.of(Scenario.A1), Scenario.alice("req-modify"), null, null, null,
                new Schedule("rate(1h)", "UTC"));
        io.stopplane.model.event.InvocationModified modified = new io.stopplane.model.event.InvocationModified(
                "e-m2", Scenario.C, S.at(0, 5), "echo new", Map.of("greeting", "hi"), "rate(2h)", "UTC",
                List.of(Scenario.A2), 1, Scenario.alice("req-modify-2"));
        TimeoutDetected run = new TimeoutDetected("e-m3", Scenario.C, S.at(2, 5), Scenario.A1,
                TimeoutDetected.Kind.RUN, null, null, 1, null, 1);
        InvocationState state = null;
        for (InvocationEvent e : List.of(created, modified, run)) {
            JsonNode value = JSON.readTree(StopPlaneJson.mapper().writerFor(InvocationEvent.class)
                    .writeValueAsBytes(e));
            String type = CloudEvents.of(e, "/test").get("ce_type");
            assertThat(PublishedSchemas.errors(type, value)).as(type + " " + value).isEmpty();
            assertThat(PublishedSchemas.errors("invocation-events", value)).as(value.toString()).isEmpty();
            state = InvocationFold.apply(state, e);
        }
        assertThat(state.schedule().revision()).isEqualTo(1);
        assertThat(PublishedSchemas.errors("io.stopplane.state.InvocationState", tree(state))).isEmpty();
        for (var target : state.instances()) {
            assertThat(PublishedSchemas.errors("io.stopplane.state.InvocationTarget", tree(state.target(target))))
                    .isEmpty();
        }
        ObjectNode bad = (ObjectNode) JSON.readTree(StopPlaneJson.mapper().writerFor(InvocationEvent.class)
                .writeValueAsBytes(modified));
        String type = "io.stopplane.invocation.InvocationModified";
        assertThat(PublishedSchemas.errors(type, bad.deepCopy().put("revision", 0))).isNotEmpty();
        assertThat(PublishedSchemas.errors(type, bad.deepCopy().without("revision"))).isNotEmpty();
        assertThat(PublishedSchemas.errors(type, (ObjectNode) bad.deepCopy().set("addedInstanceIds",
                JSON.createArrayNode().add("inv-1")))).isNotEmpty();
    }

    @Test
    void aFieldAddedLaterIsAcceptedForFieldsAreOnlyEverAdded() throws IOException {
        ObjectNode value = (ObjectNode) JSON.readTree(StopPlaneJson.mapper().writerFor(InvocationEvent.class)
                .writeValueAsBytes(S.bobStopsA1));
        value.put("reason", "maintenance window");
        ((ObjectNode) value.get("caller")).put("sessionName", "ops-oncall");

        assertThat(PublishedSchemas.errors("io.stopplane.invocation.StopRequested", value)).isEmpty();
    }

    @Test
    void aRecordThatBreaksTheContractIsRefused() throws IOException {
        ObjectNode report = (ObjectNode) JSON.readTree(StopPlaneJson.mapper().writerFor(InvocationEvent.class)
                .writeValueAsBytes(S.a1Terminated));
        String type = "io.stopplane.invocation.InstanceStatusReported";

        assertThat(PublishedSchemas.errors(type, report.deepCopy().without("instanceId"))).isNotEmpty();
        assertThat(PublishedSchemas.errors(type, report.deepCopy().put("status", "Killed"))).isNotEmpty();
        assertThat(PublishedSchemas.errors(type, report.deepCopy().put("invokeId", "inv-1"))).isNotEmpty();
        assertThat(PublishedSchemas.errors(type, report.deepCopy().put("occurredAt", "yesterday"))).isNotEmpty();
        assertThat(PublishedSchemas.errors("invocation-events", report.deepCopy().put("type", "Other")))
                .isNotEmpty();
    }

    @Test
    void theSharedDefinitionsAreTheSameInEveryFile() throws IOException {
        Map<String, JsonNode> seen = new HashMap<>();
        for (String type : PublishedSchemas.CE_TYPES) {
            JsonNode defs = schemaFile(type).get("$defs");
            for (var it = defs.fields(); it.hasNext(); ) {
                var def = it.next();
                JsonNode before = seen.putIfAbsent(def.getKey(), def.getValue());
                assertThat(def.getValue()).as(type + " $defs/" + def.getKey()).isEqualTo(
                        before == null ? def.getValue() : before);
            }
            assertThat(schemaFile(type).get("$schema").asText())
                    .isEqualTo("https://json-schema.org/draft/2020-12/schema");
        }
    }

    @Test
    void everyExampleOfTheDocsConformsToTheSchemaItIsShownFor() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "events.md"));
        // each example is a ```json block right after a line naming its ce_type in backticks
        Matcher m = Pattern.compile("ce_type[^\\n]*`(io\\.stopplane\\.[A-Za-z.]+)`[^`]*?```json\\n(.*?)```",
                Pattern.DOTALL).matcher(doc);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            String type = m.group(1);
            JsonNode example = JSON.readTree(m.group(2));
            assertThat(PublishedSchemas.errors(type, example)).as(type).isEmpty();
            checked.add(type);
        }
        assertThat(checked).containsExactlyInAnyOrderElementsOf(PublishedSchemas.CE_TYPES);
    }

    private static JsonNode tree(Object value) throws IOException {
        return JSON.readTree(StopPlaneJson.mapper().writeValueAsBytes(value));
    }

    private static JsonNode schemaFile(String type) throws IOException {
        try (InputStream in = EventSchemaTest.class.getResourceAsStream("/schemas/" + type + ".json")) {
            assertThat(in).as(type).isNotNull();
            return JSON.readTree(in);
        }
    }
}
