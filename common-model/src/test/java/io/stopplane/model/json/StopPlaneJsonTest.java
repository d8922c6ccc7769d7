package io.stopplane.model.json;

import static io.stopplane.model.TestEvents.CALLER;
import static io.stopplane.model.TestEvents.COMMAND;
import static io.stopplane.model.TestEvents.I1;
import static io.stopplane.model.TestEvents.I2;
import static io.stopplane.model.TestEvents.INVOKE;
import static io.stopplane.model.TestEvents.REGION;
import static io.stopplane.model.TestEvents.T0;
import static io.stopplane.model.TestEvents.created;
import static io.stopplane.model.TestEvents.outcome;
import static io.stopplane.model.TestEvents.report;
import static io.stopplane.model.TestEvents.stop;
import static io.stopplane.model.TestEvents.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.command.StopCommand;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.status.InvocationStatus;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class StopPlaneJsonTest {

    private static final JsonMapper MAPPER = StopPlaneJson.mapper();

    static Stream<Arguments> events() {
        return Stream.of(
                Arguments.of(created(I1, I2), "InvocationCreated"),
                Arguments.of(new InvocationCreated("e-c2", INVOKE, T0, REGION, COMMAND, List.of(I1),
                        new Caller(null, null, null, null)), "InvocationCreated"),
                Arguments.of(stop(t(5)), "StopRequested"),
                Arguments.of(stop(t(5), I1, I2), "StopRequested"),
                Arguments.of(report(I1, InstanceStatus.RUNNING, t(1)), "InstanceStatusReported"),
                Arguments.of(outcome(I1, InstanceStatus.TERMINATED, t(6), 143, "ExecutionInterrupted",
                        "the command execution has been interrupted", "partial\noutput \u00e9\u4e2d", 4096),
                        "InstanceStatusReported"),
                Arguments.of(new io.stopplane.model.event.InvocationModified("e-m1", INVOKE, t(7), "echo {{x}}",
                        java.util.Map.of("x", "2"), "rate(2m)", "UTC", List.of(I2), 1, CALLER), "InvocationModified"),
                Arguments.of(new io.stopplane.model.event.InvocationModified("e-m2", INVOKE, t(8), null, null, null,
                        null, List.of(I1), 2, null), "InvocationModified"),
                Arguments.of(new io.stopplane.model.event.TimeoutDetected("e-t1", INVOKE, t(9), I1,
                        io.stopplane.model.event.TimeoutDetected.Kind.RUN, null, null, 3, null, 2),
                        "TimeoutDetected"));
    }

    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of(new RunCommand("ce-1", INVOKE, I1, T0, COMMAND), "RunCommand"),
                Arguments.of(new StopCommand("ce-2", INVOKE, I1, t(5), "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E"),
                        "StopCommand"),
                Arguments.of(new StopCommand("ce-3", INVOKE, I2, t(5), null), "StopCommand"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("events")
    void everyEventRoundTripsThroughTheSealedInterface(InvocationEvent event, String type) {
        String json = MAPPER.writerFor(InvocationEvent.class).writeValueAsString(event);

        JsonNode node = MAPPER.readTree(json);
        assertThat(node.get("type").asString()).isEqualTo(type);
        assertThat(json).doesNotContain("io.stopplane").doesNotContain("@class");
        assertThat(node.get("eventId").asString()).isEqualTo(event.eventId());
        assertThat(node.get("invokeId").isString()).isTrue();
        assertThat(node.get("invokeId").asString()).isEqualTo(INVOKE.value());
        assertThat(node.get("occurredAt").isString()).isTrue();
        assertThat(Instant.parse(node.get("occurredAt").asString())).isEqualTo(event.occurredAt());

        InvocationEvent back = MAPPER.readValue(json, InvocationEvent.class);
        assertThat(back).isEqualTo(event).isExactlyInstanceOf(event.getClass());
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("events")
    void aConcreteEventWrittenOnItsOwnStillCarriesItsType(InvocationEvent event, String type) {
        String json = MAPPER.writeValueAsString(event);
        assertThat(MAPPER.readTree(json).get("type").asString()).isEqualTo(type);
        assertThat(MAPPER.readValue(json, InvocationEvent.class)).isEqualTo(event);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("commands")
    void everyCommandRoundTripsThroughTheSealedInterface(InstanceCommand command, String type) {
        String json = MAPPER.writerFor(InstanceCommand.class).writeValueAsString(command);

        JsonNode node = MAPPER.readTree(json);
        assertThat(node.get("type").asString()).isEqualTo(type);
        assertThat(json).doesNotContain("io.stopplane").doesNotContain("@class");
        assertThat(node.get("invokeId").asString()).isEqualTo(command.invokeId().value());
        assertThat(node.get("instanceId").asString()).isEqualTo(command.instanceId().value());
        assertThat(node.get("issuedAt").asString()).isEqualTo(command.issuedAt().toString());

        InstanceCommand back = MAPPER.readValue(json, InstanceCommand.class);
        assertThat(back).isEqualTo(command).isExactlyInstanceOf(command.getClass());
        assertThat(MAPPER.readValue(MAPPER.writeValueAsString(command), InstanceCommand.class)).isEqualTo(command);
    }

    @Test
    void wireShapeOfInvocationCreated() {
        JsonNode node = MAPPER.readTree(MAPPER.writeValueAsString(created(I1, I2)));

        assertThat(node.get("occurredAt").asString()).isEqualTo("2026-11-27T09:15:55Z");
        assertThat(node.get("regionId").asString()).isEqualTo("cn-hangzhou");
        assertThat(node.get("instanceIds").isArray()).isTrue();
        assertThat(node.get("instanceIds").get(0).asString()).isEqualTo("i-bp1aaaa0001");
        assertThat(node.get("instanceIds").get(1).asString()).isEqualTo("i-bp1aaaa0002");
        JsonNode command = node.get("command");
        assertThat(command.get("commandId").asString()).isEqualTo("c-hz0jdfwd9f0001");
        assertThat(command.get("timeoutSeconds").asInt()).isEqualTo(60);
        assertThat(command.get("terminationMode").asString()).isEqualTo("ProcessTree");
        assertThat(node.get("caller").get("accessKeyId").asString()).isEqualTo(CALLER.accessKeyId());
    }

    @Test
    void statusesAreWrittenByWireName() {
        JsonNode node = MAPPER.readTree(MAPPER.writeValueAsString(report(I1, InstanceStatus.TERMINATED, t(1))));
        assertThat(node.get("status").asString()).isEqualTo("Terminated");
    }

    @Test
    void nullsAreLeftOut() {
        String json = MAPPER.writeValueAsString(new StopCommand("ce-1", INVOKE, I1, T0, null));
        assertThat(MAPPER.readTree(json).has("requestId")).isFalse();

        JsonNode report = MAPPER.readTree(MAPPER.writeValueAsString(report(I1, InstanceStatus.RUNNING, t(1))));
        assertThat(report.has("exitCode")).isFalse();
        assertThat(report.has("output")).isFalse();
    }

    @Test
    void idsAreWrittenAsPlainStrings() {
        assertThat(MAPPER.writeValueAsString(INVOKE)).isEqualTo("\"t-hz0jdfwd9f0001\"");
        assertThat(MAPPER.writeValueAsString(I1)).isEqualTo("\"i-bp1aaaa0001\"");
        assertThat(MAPPER.writeValueAsString(REGION)).isEqualTo("\"cn-hangzhou\"");
        assertThat(MAPPER.writeValueAsString(CommandId.of("c-abc"))).isEqualTo("\"c-abc\"");

        assertThat(MAPPER.readValue("\"t-hz0jdfwd9f0001\"", InvokeId.class)).isEqualTo(INVOKE);
        assertThat(MAPPER.readValue("\"i-bp1aaaa0001\"", InstanceId.class)).isEqualTo(I1);
        assertThat(MAPPER.readValue("\"cn-hangzhou\"", RegionId.class)).isEqualTo(REGION);
        assertThat(MAPPER.readValue("\"c-abc\"", CommandId.class)).isEqualTo(CommandId.of("c-abc"));
    }

    @Test
    void malformedIdsAreRejectedOnRead() {
        assertThatThrownBy(() -> MAPPER.readValue("\"x-123\"", InvokeId.class))
                .isInstanceOf(JacksonException.class).hasMessageContaining("InvokeId");
        assertThatThrownBy(() -> MAPPER.readValue("\"bp1aaaa0001\"", InstanceId.class))
                .isInstanceOf(JacksonException.class).hasMessageContaining("InstanceId");
    }

    @Test
    void instantsAreIso8601Strings() {
        assertThat(MAPPER.writeValueAsString(T0)).isEqualTo("\"2026-11-27T09:15:55Z\"");
        Instant withNanos = Instant.parse("2026-11-27T09:15:55.123456789Z");
        assertThat(MAPPER.readValue(MAPPER.writeValueAsString(withNanos), Instant.class)).isEqualTo(withNanos);
    }

    @Test
    void invocationStateRoundTripsAndCarriesTheRolledUpStatus() {
        InvocationState state = InvocationFold.apply(null, created(I1, I2));
        state = InvocationFold.apply(state, report(I1, InstanceStatus.RUNNING, t(1)));
        state = InvocationFold.apply(state, outcome(I2, InstanceStatus.FAILED, t(2), 1, "ExitCodeNonzero",
                "the command execution exit code is not zero", "err", 3));
        state = InvocationFold.apply(state, stop(t(3)));

        String json = MAPPER.writeValueAsString(state);
        JsonNode node = MAPPER.readTree(json);

        assertThat(json).contains("\"invocationStatus\"");
        assertThat(node.get("invocationStatus").asString()).isEqualTo("Stopping");
        assertThat(node.get("invokeId").asString()).isEqualTo(INVOKE.value());
        assertThat(node.get("version").asLong()).isEqualTo(state.version());
        assertThat(node.get("creationTime").asString()).isEqualTo("2026-11-27T09:15:55Z");
        JsonNode first = node.get("instances").get(0);
        assertThat(first.get("instanceId").asString()).isEqualTo("i-bp1aaaa0001");
        assertThat(first.get("status").asString()).isEqualTo("Stopping");
        assertThat(first.get("stopTime").asString()).isEqualTo(t(3).toString());

        InvocationState back = MAPPER.readValue(json, InvocationState.class);
        assertThat(back).isEqualTo(state);
        assertThat(back.invocationStatus()).isEqualTo(InvocationStatus.STOPPING);
    }

    @Test
    void invocationStatusOnTheWireIsRecomputedOnRead() {
        InvocationState state = InvocationFold.apply(null, created(I1));
        ObjectNode node = (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsString(state));
        node.put("invocationStatus", "Success");

        InvocationState back = MAPPER.treeToValue(node, InvocationState.class);
        assertThat(back.invocationStatus()).isEqualTo(InvocationStatus.PENDING);
        assertThat(back).isEqualTo(state);
    }

    @Test
    void unknownPropertiesAreIgnoredOnRead() {
        InvocationEvent event = outcome(I1, InstanceStatus.SUCCESS, t(2), 0, null, null, "ok", 0);
        ObjectNode node = (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsString(event));
        node.put("addedLater", "x");
        node.putObject("nestedLater").put("a", 1);
        assertThat(MAPPER.treeToValue(node, InvocationEvent.class)).isEqualTo(event);

        InvocationEvent createdEvent = created(I1);
        ObjectNode createdNode = (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsString(createdEvent));
        ((ObjectNode) createdNode.get("command")).put("addedLater", true);
        ((ObjectNode) createdNode.get("caller")).put("addedLater", 1);
        assertThat(MAPPER.treeToValue(createdNode, InvocationEvent.class)).isEqualTo(createdEvent);

        InstanceCommand command = new RunCommand("ce-1", INVOKE, I1, T0, COMMAND);
        ObjectNode commandNode = (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsString(command));
        commandNode.put("priority", 7);
        assertThat(MAPPER.treeToValue(commandNode, InstanceCommand.class)).isEqualTo(command);

        InvocationState state = InvocationFold.apply(null, created(I1));
        ObjectNode stateNode = (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsString(state));
        ((ObjectNode) stateNode.get("instances").get(0)).put("addedLater", "y");
        stateNode.put("addedLater", "z");
        assertThat(MAPPER.treeToValue(stateNode, InvocationState.class)).isEqualTo(state);
    }

    @Test
    void aLiteralPayloadFromAnotherWriterIsRead() {
        String json = """
                {"type":"StopRequested","eventId":"e-42","invokeId":"t-hz0jdfwd9f0001",
                 "occurredAt":"2026-11-27T09:16:00Z","instanceIds":["i-bp1aaaa0001"],
                 "caller":{"requestId":"R-1"},"schemaVersion":2}
                """;
        InvocationEvent event = MAPPER.readValue(json, InvocationEvent.class);
        assertThat(event).isEqualTo(new StopRequested("e-42", INVOKE, Instant.parse("2026-11-27T09:16:00Z"),
                List.of(I1), new Caller(null, null, null, "R-1")));
    }

    @Test
    void commandSpecDefaultsTerminationModeWhenAbsent() {
        String json = """
                {"commandId":"c-abc","type":"RunShellScript","content":"echo hi","timeoutSeconds":30}
                """;
        CommandSpec spec = MAPPER.readValue(json, CommandSpec.class);
        assertThat(spec.terminationMode()).isEqualTo(CommandSpec.PROCESS_TREE);
        assertThat(spec.timeoutSeconds()).isEqualTo(30);
    }

    @Test
    void unknownOrMissingTypeIsRejected() {
        assertThatThrownBy(() -> MAPPER.readValue(
                "{\"type\":\"Exploded\",\"eventId\":\"e\",\"invokeId\":\"t-a\",\"occurredAt\":\"2026-11-27T09:15:55Z\"}",
                InvocationEvent.class)).isInstanceOf(JacksonException.class).hasMessageContaining("Exploded");
        assertThatThrownBy(() -> MAPPER.readValue(
                "{\"eventId\":\"e\",\"invokeId\":\"t-a\",\"occurredAt\":\"2026-11-27T09:15:55Z\"}",
                InvocationEvent.class)).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> MAPPER.readValue(
                "{\"type\":\"InvocationCreated\",\"commandEventId\":\"c\"}", InstanceCommand.class))
                .isInstanceOf(JacksonException.class);
    }

    @Test
    void configureAppliesTheSameSettingsToAnotherBuilder() {
        JsonMapper other = StopPlaneJson.configure(JsonMapper.builder()).build();
        InvocationEvent event = outcome(I1, InstanceStatus.FAILED, t(2), 1, "ExitCodeNonzero", null, "x", 0);
        assertThat(other.writeValueAsString(event)).isEqualTo(MAPPER.writeValueAsString(event));
        assertThat(other.readValue("{\"instanceId\":\"i-a\",\"status\":\"Pending\",\"dropped\":0,\"extra\":1}",
                InstanceState.class).status()).isEqualTo(InstanceStatus.PENDING);
    }
}
