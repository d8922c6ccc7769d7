package io.stopplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.gateway.delivery.Pending;
import io.stopplane.gateway.support.GatewayITSupport;
import io.stopplane.gateway.support.TestAgent;
import io.stopplane.gateway.support.TestIdentity;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.topic.Topics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A malicious agent with a valid identity for instance A, on the same gateway as an honest agent of B: everything it
 * tries is refused with a clear frame and counted, nothing reaches invocation-events, and B goes on unharmed.
 */
class MaliciousAgentIT extends GatewayITSupport {

    @Autowired
    Pending pending;

    @Test
    void everyAttackIsRefusedCountedAndChangesNothingWhileBGoesOn() {
        TestIdentity a = registered();
        TestIdentity b = registered();
        InvokeId ta = InvokeId.random();
        InvokeId tb = InvokeId.random();
        InvokeId tb2 = InvokeId.random();
        broker.command(run(ta, a));
        broker.command(run(tb, b));
        await().until(() -> pending.targets(ta, InstanceId.of(a.instanceId()))
                && pending.targets(tb, InstanceId.of(b.instanceId())));

        try (TestAgent honest = TestAgent.connect(connectUri()).hello(b);
                TestAgent evil = TestAgent.connect(connectUri()).hello(a)) {
            honest.await("commands");
            evil.await("commands");

            // Success for B's invocation, as B; then as itself; then statuses only the control plane sets; then output
            // over the cap
            assertRefused(evil, "x1", tb.value(), b.instanceId(), "Success", "", "Report.NotYourInstance");
            assertRefused(evil, "x2", tb.value(), a.instanceId(), "Success", "", "Report.NotATarget");
            assertRefused(evil, "x3", ta.value(), a.instanceId(), "Pending", "", "Report.IllegalStatus");
            assertRefused(evil, "x4", ta.value(), a.instanceId(), "Stopping", "", "Report.IllegalStatus");
            assertRefused(evil, "x5", ta.value(), a.instanceId(), "Hacked", "", "Report.IllegalStatus");
            assertRefused(evil, "x6", ta.value(), a.instanceId(), "Success", "é".repeat(13_000),
                    "Report.OutputTooLarge");
            assertRefused(evil, "x7", "not-an-invocation", a.instanceId(), "Success", "", "Report.Invalid");
            assertThat(evil.closed()).isNotDone();

            // B is unharmed: its commands still arrive and its reports are written
            InstanceCommand run2 = run(tb2, b);
            InstanceCommand stop2 = stop(tb2, b);
            broker.command(run2);
            broker.command(stop2);
            await().until(() -> honest.frames().toString().contains(stop2.commandEventId()));
            honest.report("b1", tb.value(), b.instanceId(), "Success", "ok");
            honest.report("b2", tb2.value(), b.instanceId(), "Cancelled", "");
            assertThat(honest.answer("b1").path("type").asString()).isEqualTo("ack");
            assertThat(honest.answer("b2").path("type").asString()).isEqualTo("ack");
            assertThat(evil.frames("commands").toString()).doesNotContain(b.instanceId()).doesNotContain(tb2.value());

            // a 10 MB frame: refused by the codec before its payload is read, an error frame, and the socket closed
            double tooLarge = refusals("Frame.TooLarge");
            evil.trySendText("{\"type\":\"report\",\"pad\":\"" + "a".repeat(10 * 1024 * 1024) + "\"}");
            await().until(() -> evil.closed().isDone());
            // The gateway answers with the error frame and a 1008 close, then closes the socket. If the client is still
            // writing the 10 MB when the socket closes, its kernel sees a reset before the client has read the close
            // (TCP discards what a closed socket had not read): either way the connection ends and the refusal counts.
            String closed = evil.closed().join();
            if (closed.startsWith("1008")) {
                assertThat(closed).isEqualTo("1008 Frame.TooLarge");
                assertThat(evil.frames("error")).singleElement()
                        .satisfies(e -> assertThat(e.path("code").asString()).isEqualTo("Frame.TooLarge"));
            } else {
                assertThat(closed).contains("Connection reset");
            }
            await().until(() -> refusals("Frame.TooLarge") == tooLarge + 1);
        }

        // the only reports written for these invocations are B's two
        await().until(() -> reportsFor(tb).size() == 1 && reportsFor(tb2).size() == 1);
        assertThat(reportsFor(ta)).isEmpty();
        assertThat(reportsFor(tb).get(0).path("reportedBy").path("instanceId").asString()).isEqualTo(b.instanceId());
        assertThat(reportsFor(tb).get(0).path("status").asString()).isEqualTo("Success");
    }

    @Test
    void garbageIsAnErrorAndACloseAndCounted() {
        double before = refusals("Frame.Unreadable");
        try (TestAgent agent = TestAgent.connect(connectUri())) {
            agent.await("challenge");
            agent.sendText("{not json at all");
            assertThat(agent.await("error").path("code").asString()).isEqualTo("Frame.Unreadable");
            await().until(() -> agent.closed().isDone());
        }
        assertThat(refusals("Frame.Unreadable")).isEqualTo(before + 1);
    }

    @Test
    void aReportBeforeTheHelloIsRefusedAndCloses() {
        try (TestAgent agent = TestAgent.connect(connectUri())) {
            agent.await("challenge");
            agent.report("r", InvokeId.random().value(), "mi-whoever", "Success", "");
            assertThat(agent.await("error").path("code").asString()).isEqualTo("Hello.Expected");
            await().until(() -> agent.closed().isDone());
        }
    }

    @Test
    void aHelloWithAMalformedBootIdIsRefusedCountedAndProvesNothing() {
        TestIdentity d = registered();
        double before = refusals("Hello.Invalid");
        try (TestAgent agent = TestAgent.connect(connectUri())) {
            agent.sendText(agent.helloFrame("../../etc/passwd\n" + "a".repeat(300), d));
            JsonNode error = agent.await("error");
            assertThat(error.path("code").asString()).isEqualTo("Hello.Invalid");
            assertThat(error.path("message").asString()).contains("bootId").doesNotContain("passwd");
            await().until(() -> agent.closed().isDone());
            assertThat(agent.frames("welcome")).isEmpty();
        }
        assertThat(refusals("Hello.Invalid")).isEqualTo(before + 1);
    }

    @Test
    void aCapturedHelloReplayedOnAnotherConnectionProvesNothing() {
        TestIdentity b = registered();
        double before = refusals("Hello.BadSignature");
        try (TestAgent honest = TestAgent.connect(connectUri())) {
            String captured = honest.helloFrame(b);
            honest.sendText(captured);
            honest.await("welcome");
            try (TestAgent replay = TestAgent.connect(connectUri())) {
                replay.await("challenge");
                replay.sendText(captured);
                JsonNode error = replay.await("error");
                assertThat(error.path("code").asString()).isEqualTo("Hello.BadSignature");
                assertThat(error.path("message").asString()).contains(b.instanceId());
                await().until(() -> replay.closed().isDone());
                assertThat(replay.frames("welcome")).isEmpty();
            }
            // and B's own connection is still the one holding B
            assertThat(honest.closed()).isNotDone();
        }
        assertThat(refusals("Hello.BadSignature")).isEqualTo(before + 1);
    }

    @Test
    void aDeregisteredIdentityIsDisconnectedAtOnceAndCanNeverConnectAgain() {
        TestIdentity c = registered();
        try (TestAgent agent = TestAgent.connect(connectUri()).hello(c)) {
            agent.await("welcome");
            fold.deregister(c.instanceId());
            assertThat(agent.await("error").path("code").asString()).isEqualTo("Instance.Deregistered");
            await().until(() -> agent.closed().isDone());
        }
        double before = refusals("Instance.Deregistered");
        try (TestAgent again = TestAgent.connect(connectUri()).hello(c)) {
            assertThat(again.await("error").path("code").asString()).isEqualTo("Instance.Deregistered");
            await().until(() -> again.closed().isDone());
            assertThat(again.frames("welcome")).isEmpty();
        }
        assertThat(refusals("Instance.Deregistered")).isEqualTo(before + 1);
    }

    @Test
    void anUnknownInstanceCannotConnect() {
        try (TestAgent agent = TestAgent.connect(connectUri())) {
            agent.await("challenge");
            agent.send(Map.of("type", "hello", "instances", List.of(Map.of("instanceId", "mi-nosuchinstance",
                    "signature", "AAAA"))));
            assertThat(agent.await("error").path("code").asString()).isEqualTo("Instance.Unknown");
        }
    }

    private void assertRefused(TestAgent agent, String frameId, String invokeId, String instanceId, String status,
            String output, String code) {
        double before = refusals(code);
        agent.report(frameId, invokeId, instanceId, status, output);
        JsonNode answer = agent.answer(frameId);
        assertThat(answer.path("type").asString()).isEqualTo("refused");
        assertThat(answer.path("code").asString()).isEqualTo(code);
        assertThat(answer.path("message").asString()).isNotBlank();
        assertThat(refusals(code)).isEqualTo(before + 1);
    }

    private List<JsonNode> reportsFor(InvokeId invokeId) {
        return broker.values(Topics.INVOCATION_EVENTS.name()).stream()
                .filter(e -> invokeId.value().equals(e.path("invokeId").asString())).toList();
    }
}
