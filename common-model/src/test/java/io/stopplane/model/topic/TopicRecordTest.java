package io.stopplane.model.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.command.StopCommand;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicRecordTest {

    private static final InvokeId INVOKE = InvokeId.of("t-topicrecord1");
    private static final InstanceId INSTANCE = InstanceId.of("i-topicrecord1");
    private static final Instant AT = Instant.parse("2026-12-08T03:00:00Z");

    @Test
    void anEventGoesToTheEventLogUnderItsInvokeIdWithItsTypeId() {
        InvocationEvent stop = new StopRequested("e-1", INVOKE, AT, List.of(INSTANCE),
                new Caller("1001", "LTAI5key", "127.0.0.1", "r-1"));

        TopicRecord r = TopicRecord.of(stop);

        assertThat(r.topic()).isEqualTo(Topics.INVOCATION_EVENTS.name());
        assertThat(r.key()).isEqualTo(INVOKE.value());
        assertThat(StopPlaneJson.mapper().readTree(r.value()).get("type").asString()).isEqualTo("StopRequested");
        assertThat(StopPlaneJson.mapper().readValue(r.value(), InvocationEvent.class)).isEqualTo(stop);
    }

    @Test
    void aCommandGoesToTheCommandsUnderItsInstanceSoAStopFollowsItsRun() {
        InstanceCommand stop = new StopCommand("c-1", INVOKE, INSTANCE, AT, null, 5);

        TopicRecord r = TopicRecord.of(stop);

        assertThat(r.topic()).isEqualTo(Topics.INSTANCE_COMMANDS.name());
        assertThat(r.key()).isEqualTo(INSTANCE.value());
        assertThat(StopPlaneJson.mapper().readValue(r.value(), InstanceCommand.class)).isEqualTo(stop);
    }

    @Test
    void aHeartbeatIsKeptPerInstance() {
        AgentHeartbeat beat = new AgentHeartbeat(INSTANCE, RegionId.of("cn-hangzhou"), "1001", "2.5.3.0", "host-1",
                AT);

        TopicRecord r = TopicRecord.of(beat);

        assertThat(r.topic()).isEqualTo(Topics.AGENT_HEARTBEATS.name());
        assertThat(r.key()).isEqualTo(INSTANCE.value());
        assertThat(StopPlaneJson.mapper().readValue(r.value(), AgentHeartbeat.class)).isEqualTo(beat);
    }
}
