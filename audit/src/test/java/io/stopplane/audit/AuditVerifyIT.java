package io.stopplane.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.id.InvokeId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.topic.Topics;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code audit verify} against a state topic written transactionally, one record per changing event, as the
 * dispatcher writes it: it passes; a wrong record, or one for an invocation the log never created, fails it; an aborted
 * write changes nothing; a corrected record makes it pass again.
 */
@EmbeddedKafka(brokerProperties = {"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
class AuditVerifyIT {

    private static final Scenario S = new Scenario();
    private static Broker broker;
    private static Map<String, InvocationState> states;

    @BeforeAll
    static void publish() throws Exception {
        broker = new Broker(EmbeddedKafkaCondition.getBroker().getBrokersAsString());
        broker.createTopics();
        broker.publishEvents(S.events);
        states = broker.publishFold(S.events);
    }

    @Test
    void verifyPassesOnTheDispatchersStateThenReportsEveryWrongRecordAndPassesAgainOnceCorrected() {
        Cli.Result ok = Cli.run(broker.bootstrap(), "verify");
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("verify: 13 events folded into 3 invocations, 3 state records compared: OK");

        InvocationState a = states.get(Scenario.A.value());
        InvocationState wrong = withStatus(a, Scenario.A2.value(), InstanceStatus.RUNNING);
        broker.publishState(wrong, true);
        InvocationState ghost = withStatus(a, Scenario.A2.value(), InstanceStatus.RUNNING);
        ghost = StopPlaneJson.mapper().treeToValue(((ObjectNode) StopPlaneJson.mapper()
                .valueToTree(ghost)).put("invokeId", "t-ghost0001"), InvocationState.class);
        broker.publishState(ghost, true);
        // an aborted transaction is not in the state a read_committed reader sees
        broker.publishState(withStatus(states.get(Scenario.C.value()), Scenario.A1.value(), InstanceStatus.FAILED),
                false);

        Cli.Result bad = Cli.run(broker.bootstrap(), "verify");
        assertThat(bad.exit()).isEqualTo(Audit.MISMATCH);
        assertThat(bad.lines()).contains(
                "MISMATCH " + Scenario.A.value() + ": version " + a.version() + " expected, " + a.version()
                        + " found; instances[i-audit0a2].status: expected \"Terminated\", found \"Running\"; "
                        + "invocationStatus: expected \"Stopped\", found \"Running\"",
                "MISMATCH t-ghost0001: in invocation-state (version " + a.version() + ", Running) but no event of "
                        + "invocation-events creates it");
        assertThat(bad.lines()).noneMatch(l -> l.contains(Scenario.C.value()));
        assertThat(bad.out()).endsWith("2 mismatches" + System.lineSeparator());

        broker.publishState(a, true);
        broker.publishTombstone(Topics.INVOCATION_STATE.name(), "t-ghost0001");
        Cli.Result again = Cli.run(broker.bootstrap(), "verify");
        assertThat(again.exit()).as(again.out()).isZero();

        // the dispatcher's retention: a finished invocation tombstoned is expired, not missing
        broker.publishTombstone(Topics.INVOCATION_STATE.name(), Scenario.C.value());
        Cli.Result expired = Cli.run(broker.bootstrap(), "verify");
        assertThat(expired.exit()).as(expired.out()).isZero();
        assertThat(expired.out()).contains("folded into 3 invocations (1 expired), 2 state records compared: OK");
        broker.publishState(states.get(Scenario.C.value()), true);
    }

    /** The same state with one target's status changed, as a buggy writer might leave it. */
    private static InvocationState withStatus(InvocationState s, String instanceId, InstanceStatus status) {
        JsonNode tree = StopPlaneJson.mapper().valueToTree(s);
        for (JsonNode i : tree.get("instances")) {
            if (i.get("instanceId").asString().equals(instanceId)) {
                ((ObjectNode) i).put("status", status.wireName());
            }
        }
        InvocationState changed = StopPlaneJson.mapper().treeToValue(tree, InvocationState.class);
        assertThat(changed.invokeId()).isEqualTo(InvokeId.of(s.invokeId().value()));
        assertThat(changed.instances()).extracting(InstanceState::status).contains(status);
        return changed;
    }
}
