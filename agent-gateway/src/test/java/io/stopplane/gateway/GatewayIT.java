package io.stopplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.stopplane.gateway.delivery.Pending;
import io.stopplane.gateway.support.GatewayITSupport;
import io.stopplane.gateway.support.TestAgent;
import io.stopplane.gateway.support.TestIdentity;
import io.stopplane.gateway.support.TestRegistryFold;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.topic.Topics;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Registration, handshake, delivery and liveness through the real gateway, on a real broker. */
class GatewayIT extends GatewayITSupport {

    @Autowired
    Pending pending;

    @Test
    void refusesAConnectionBeyondTheHandshakesInFlightBeforeItsUpgradeAndAdmitsOneOnceAHandshakeIsOver() {
        TestIdentity a = registered();
        double busy = refusals("Gateway.Busy");
        List<TestAgent> waiting = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < HANDSHAKES_IN_FLIGHT; i++) {
                TestAgent t = TestAgent.connect(connectUri());
                t.await("challenge");
                waiting.add(t);
            }
            Throwable refused = catchThrowable(() -> TestAgent.connect(connectUri()));
            HttpResponse<?> response = handshakeRefusal(refused).getResponse();
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refusals("Gateway.Busy")).isEqualTo(busy + 1);

            // a welcome gives its place back: one more is upgraded, and then the gateway is full again
            waiting.get(0).hello(a).await("welcome");
            waiting.add(TestAgent.connect(connectUri()));
            assertThat(waiting.get(HANDSHAKES_IN_FLIGHT).await("challenge").path("gatewayId").asString())
                    .isEqualTo("gw-test");
            assertThat(handshakeRefusal(catchThrowable(() -> TestAgent.connect(connectUri()))).getResponse()
                    .statusCode()).isEqualTo(503);
            assertThat(refusals("Gateway.Busy")).isEqualTo(busy + 2);

            // so does a connection that ends without a welcome
            waiting.remove(1).close();
            await().ignoreExceptions().untilAsserted(() -> {
                try (TestAgent again = TestAgent.connect(connectUri())) {
                    assertThat(again.await("challenge")).isNotNull();
                }
            });
        } finally {
            waiting.forEach(TestAgent::close);
            // the next test connects at once: wait until the gateway has seen these go
            await().until(() -> meters.get("stopplane.gateway.handshakes.in-flight").gauge().value() == 0);
        }
    }

    private static WebSocketHandshakeException handshakeRefusal(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof WebSocketHandshakeException h) {
                return h;
            }
        }
        throw new AssertionError("not a refused handshake", t);
    }

    @Test
    void deliversPendingCommandsInOneBatchInOrderThenPushesNewOnes() {
        TestIdentity a = registered();
        TestIdentity b = registered();
        InvokeId t1 = InvokeId.random();
        InvokeId t2 = InvokeId.random();
        InvokeId tb = InvokeId.random();
        List<InstanceCommand> queued = List.of(run(t1, a), stop(t1, a), run(t2, a));
        queued.forEach(broker::command);
        broker.command(run(tb, b));
        await().until(() -> pending.targets(t2, InstanceId.of(a.instanceId()))
                && pending.targets(tb, InstanceId.of(b.instanceId())));

        try (TestAgent agent = TestAgent.connect(connectUri()).hello(a)) {
            assertThat(agent.await("welcome").path("instances").get(0).asString()).isEqualTo(a.instanceId());
            assertThat(eventIds(agent.await("commands")))
                    .containsExactlyElementsOf(queued.stream().map(InstanceCommand::commandEventId).toList());

            InvokeId t3 = InvokeId.random();
            InstanceCommand live = run(t3, a);
            broker.command(live);
            await().until(() -> agent.frames("commands").size() == 2);
            assertThat(eventIds(agent.frames("commands").get(1))).containsExactly(live.commandEventId());
            assertThat(agent.frames().toString()).doesNotContain(b.instanceId()).doesNotContain(tb.value());
        }
    }

    @Test
    void writesCheckedReportsStampedByTheGatewayAndAcksThemOnceWritten() {
        TestIdentity a = registered();
        InvokeId t1 = InvokeId.random();
        broker.command(run(t1, a));
        await().until(() -> pending.targets(t1, InstanceId.of(a.instanceId())));
        try (TestAgent agent = TestAgent.connect(connectUri()).hello(a)) {
            agent.await("commands");
            Instant before = Instant.now();
            agent.report("r1", t1.value(), a.instanceId(), "Success", "hello\n");
            assertThat(agent.answer("r1").path("type").asString()).isEqualTo("ack");

            JsonNode event = broker.values(Topics.INVOCATION_EVENTS.name()).stream()
                    .filter(e -> t1.value().equals(e.path("invokeId").asString())).findFirst().orElseThrow();
            assertThat(event.path("type").asString()).isEqualTo("InstanceStatusReported");
            assertThat(event.path("status").asString()).isEqualTo("Success");
            assertThat(event.path("output").asString()).isEqualTo("hello\n");
            // the gateway's receive time, not the agent's 2100
            assertThat(Instant.parse(event.path("occurredAt").asString())).isBetween(before.minusSeconds(1),
                    Instant.now());
            JsonNode by = event.path("reportedBy");
            assertThat(by.path("instanceId").asString()).isEqualTo(a.instanceId());
            assertThat(by.path("gatewayId").asString()).isEqualTo("gw-test");
            assertThat(by.path("remoteAddress").asString()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void aReconnectingAgentGetsWhatItMissedAndNothingAlreadyFinal() {
        TestIdentity a = registered();
        InvokeId done = InvokeId.random();
        InvokeId stopped = InvokeId.random();
        broker.command(run(done, a));
        broker.command(run(stopped, a));
        await().until(() -> pending.targets(stopped, InstanceId.of(a.instanceId())));
        try (TestAgent first = TestAgent.connect(connectUri()).hello(a)) {
            assertThat(eventIds(first.await("commands"))).hasSize(2);
            first.report("r1", done.value(), a.instanceId(), "Success", "");
            assertThat(first.answer("r1").path("type").asString()).isEqualTo("ack");
        }

        // while the agent is away: a stop of the other run, a new run, and a run the dispatcher aborted
        InstanceCommand stop = stop(stopped, a);
        InvokeId fresh = InvokeId.random();
        InstanceCommand freshRun = run(fresh, a);
        InvokeId aborted = InvokeId.random();
        broker.command(stop);
        broker.command(freshRun);
        broker.command(run(aborted, a));
        await().until(() -> pending.targets(aborted, InstanceId.of(a.instanceId())));
        double before = pendingCommands();
        Instant now = Instant.now();
        // as the dispatcher writes it: the state as created, then the record of the target it aborted
        InvocationState created = new InvocationState(aborted, TestRegistryFold.REGION, null, now, now,
                List.of(InstanceState.pending(InstanceId.of(a.instanceId()), now)), 1);
        broker.state(created);
        broker.target(created, new InstanceState(InstanceId.of(a.instanceId()), InstanceStatus.ABORTED, null,
                "DeliveryTimeout", null, null, 0, now, null, now, null, now));
        await().until(() -> pendingCommands() == before - 1);

        try (TestAgent again = TestAgent.connect(connectUri()).hello(a)) {
            List<String> batch = eventIds(again.await("commands"));
            assertThat(batch).hasSize(3).endsWith(stop.commandEventId(), freshRun.commandEventId());
            assertThat(again.await("commands").path("commands").get(0).path("invokeId").asString())
                    .isEqualTo(stopped.value());
        }
    }

    @Test
    void theNewestConnectionOfAnInstanceWins() {
        TestIdentity a = registered();
        try (TestAgent older = TestAgent.connect(connectUri()).hello(a)) {
            older.await("welcome");
            try (TestAgent newer = TestAgent.connect(connectUri()).hello(a)) {
                newer.await("welcome");
                assertThat(older.await("error").path("code").asString()).isEqualTo("Connection.Superseded");
                await().until(() -> older.closed().isDone());
                InvokeId t = InvokeId.random();
                broker.command(run(t, a));
                await().until(() -> newer.frames("commands").size() == 2);
                assertThat(older.frames("commands")).hasSize(1);
            }
        }
    }

    @Test
    void connectedInstancesHeartbeatInServerTimeWithTheirRegisteredAccount() {
        TestIdentity a = registered();
        Instant before = Instant.now();
        try (TestAgent agent = TestAgent.connect(connectUri()).hello(a)) {
            agent.await("welcome");
            await().untilAsserted(() -> assertThat(beats(a)).hasSizeGreaterThanOrEqualTo(2));
            JsonNode beat = beats(a).get(0);
            assertThat(beat.path("accountId").asString()).isEqualTo(TestRegistryFold.ACCOUNT);
            assertThat(beat.path("regionId").asString()).isEqualTo("cn-hangzhou");
            assertThat(beat.path("hostname").asString()).isEqualTo("test-host");
            assertThat(beat.path("bootId").asString()).as("passed on for the reboot modes")
                    .isEqualTo(TestAgent.BOOT_ID);
            assertThat(Instant.parse(beat.path("at").asString())).isAfterOrEqualTo(before.minusSeconds(1));
        }
    }

    @Test
    void registrationWritesOnlyTheCodesHashAndAnswersTheFoldsVerdict() {
        String code = "the-secret-code-" + InvokeId.random().value();
        String activation = activation(code);
        TestIdentity identity = TestIdentity.generate();
        var ok = register(registration(activation, code, identity));
        assertThat(ok.getKey()).isEqualTo(200);
        assertThat(ok.getValue().path("instanceId").asString()).matches("mi-[a-z2-7]{20}");
        assertThat(ok.getValue().path("regionId").asString()).isEqualTo("cn-hangzhou");
        assertThat(fold.instance(ok.getValue().path("instanceId").asString()).publicKey())
                .isEqualTo(identity.publicKey());

        assertRegistrationRefused(activation, code + "-guessed", 403, "InvalidActivationCode");
        List<JsonNode> requests = requests(activation);
        assertThat(requests).hasSize(2);
        assertThat(requests).extracting(r -> r.path("remoteAddress").asString()).containsOnly("127.0.0.1");
        assertThat(broker.records(Topics.REGISTRY_EVENTS.name()).toString()).doesNotContain(code);
    }

    @Test
    void anExpiredUsedUpDisabledOrWrongAddressActivationRegistersNothing() {
        String code = "code-" + InvokeId.random().value();
        String expired = known(fold.activation(code, 10, Duration.ofMillis(1), null));
        assertRegistrationRefused(expired, code, 403, "Activation.Expired");

        String single = known(fold.activation(code, 1, Duration.ofHours(1), null));
        assertThat(register(registration(single, code, TestIdentity.generate())).getKey()).isEqualTo(200);
        assertRegistrationRefused(single, code, 403, "Activation.InstanceCountExceeded");

        String disabled = activation(code);
        fold.disable(disabled);
        await().until(() -> registryView.activation(disabled).orElseThrow().disabled());
        assertRegistrationRefused(disabled, code, 403, "Activation.Disabled");

        String elsewhere = known(fold.activation(code, 10, Duration.ofHours(1), "10.0.0.0/8"));
        assertRegistrationRefused(elsewhere, code, 403, "Activation.IpNotAllowed");
    }

    @Test
    void registrationRefusesBadShapesAndUnknownActivationsWithoutWriting() {
        String code = "code";
        String activation = activation(code);
        TestIdentity identity = TestIdentity.generate();
        var badKey = new java.util.HashMap<>(registration(activation, code, identity));
        badKey.put("publicKey", "AAAA");
        assertThat(register(badKey).getValue().path("code").asString()).isEqualTo("InvalidParameter");
        var badAlgorithm = new java.util.HashMap<>(registration(activation, code, identity));
        badAlgorithm.put("keyAlgorithm", "RSA");
        assertThat(register(badAlgorithm).getKey()).isEqualTo(400);
        var unknown = register(registration("act-nosuchthing", code, identity));
        assertThat(unknown.getKey()).isEqualTo(404);
        assertThat(unknown.getValue().path("code").asString()).isEqualTo("InvalidActivation.NotFound");
        assertThat(requests(activation)).isEmpty();
        assertThat(requests("act-nosuchthing")).isEmpty();
    }

    private void assertRegistrationRefused(String activation, String code, int status, String errorCode) {
        var answer = register(registration(activation, code, TestIdentity.generate()));
        assertThat(answer.getKey()).as(answer.getValue().toString()).isEqualTo(status);
        assertThat(answer.getValue().path("code").asString()).isEqualTo(errorCode);
        assertThat(answer.getValue().path("message").asString()).isNotBlank();
    }

    private List<JsonNode> requests(String activation) {
        return broker.values(Topics.REGISTRY_EVENTS.name()).stream()
                .filter(e -> activation.equals(e.path("activationId").asString()))
                .filter(e -> "RegistrationRequested".equals(e.path("type").asString())).toList();
    }

    private List<JsonNode> beats(TestIdentity a) {
        return broker.records(Topics.AGENT_HEARTBEATS.name()).stream().filter(r -> r.key().equals(a.instanceId()))
                .map(r -> io.stopplane.model.json.StopPlaneJson.mapper().readTree(r.value())).toList();
    }

    private static List<String> eventIds(JsonNode commandsFrame) {
        return StreamSupport.stream(commandsFrame.path("commands").spliterator(), false)
                .map(c -> c.path("commandEventId").asString()).toList();
    }
}
