package io.stopplane.agent.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stopplane.agent.task.TaskKey;
import io.stopplane.agent.task.TaskOutcome;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class GatewayReporterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final GatewayReporter reporter = new GatewayReporter(new SimpleMeterRegistry());
    private final List<String> sent = new ArrayList<>();
    private final TaskKey key = new TaskKey(InvokeId.random(), InstanceId.of("mi-test1"));

    /** The gateway answers nothing to a report it could not write (its broker gone); the connection stays. */
    @Test
    void aReportLeftUnansweredOnALiveConnectionIsSentAgainUntilAcknowledged() {
        reporter.welcomed(sent::add);
        CompletableFuture<Void> done = reporter.report(key, TaskOutcome.ended(InstanceStatus.SUCCESS, 0, null));
        assertThat(sent).hasSize(1);

        reporter.tick(); // sent since the last tick: not yet overdue
        assertThat(sent).hasSize(1);
        reporter.tick(); // unanswered for a whole tick: again, the same frame (same id)
        assertThat(sent).hasSize(2).allMatch(sent.get(0)::equals);
        reporter.tick();
        assertThat(sent).hasSize(3);

        reporter.frame("ack", JSON.readTree("{\"type\":\"ack\",\"id\":\"" + id(sent.get(0)) + "\"}"));
        assertThat(done).isCompleted();
        reporter.tick();
        reporter.tick();
        assertThat(sent).as("nothing left to send").hasSize(3);
        assertThat(reporter.waiting()).isZero();
    }

    @Test
    void withoutAConnectionAReportWaitsForTheNextWelcomeAndTicksSendNothing() {
        reporter.welcomed(sent::add);
        reporter.tick();
        reporter.lost();
        reporter.report(key, TaskOutcome.running());
        reporter.tick();
        reporter.tick();
        assertThat(sent).isEmpty();

        List<String> next = new ArrayList<>();
        reporter.welcomed(next::add);
        assertThat(next).hasSize(1);
        reporter.tick();
        assertThat(next).as("sent on the welcome: not overdue at the first tick").hasSize(1);
        reporter.tick();
        assertThat(next).hasSize(2);
        assertThat(reporter.waiting()).isEqualTo(1);
    }

    private static String id(String frame) {
        JsonNode node = JSON.readTree(frame);
        return node.path("id").asString();
    }
}
