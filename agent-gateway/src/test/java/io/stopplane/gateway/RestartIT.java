package io.stopplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.gateway.delivery.DeliveryReadiness;
import io.stopplane.gateway.registry.RegistryView;
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
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * A gateway that starts after the commands were written (a restart, or a new gateway of the fleet) has only the topics
 * to go by: it re-reads instance-commands and invocation-state, and an agent that connects to it gets what is still to
 * be done for it, and nothing that is final.
 */
class RestartIT extends GatewayITSupport {

    @Autowired
    EmbeddedKafkaBroker kafka;

    @Test
    void aFreshGatewayDeliversWhatIsStillToBeDoneFromTheTopicsAlone() {
        TestIdentity a = registered();
        InvokeId running = InvokeId.random();
        InvokeId stopped = InvokeId.random();
        InvokeId finished = InvokeId.random();
        InstanceCommand run = run(running, a);
        InstanceCommand runStopped = run(stopped, a);
        InstanceCommand stop = stop(stopped, a);
        broker.command(run);
        broker.command(runStopped);
        broker.command(run(finished, a));
        broker.command(stop);
        Instant now = Instant.now();
        broker.state(new InvocationState(finished, TestRegistryFold.REGION, null, now, now, List.of(new InstanceState(
                InstanceId.of(a.instanceId()), InstanceStatus.SUCCESS, 0, null, null, null, 0, now, now, now, null,
                now)), 3));

        // arguments, not default properties: application.yml's own values would win over those
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(), "--server.port=0",
                "--server.address=127.0.0.1", "--management.server.port=0", "--stopplane.gateway.id=gw-second",
                "--stopplane.gateway.commands-replay=1h", "--stopplane.topics.partitions=3")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> second.getBean(RegistryView.class).ready()
                    && second.getBean(DeliveryReadiness.class).ready());
            URI uri = URI.create("ws://127.0.0.1:" + second.getEnvironment().getProperty("local.server.port")
                    + "/agent/v1/connect");
            try (TestAgent agent = TestAgent.connect(uri).hello(a)) {
                assertThat(agent.await("challenge").path("gatewayId").asString()).isEqualTo("gw-second");
                assertThat(StreamSupport.stream(agent.await("commands").path("commands").spliterator(), false)
                        .map(c -> c.path("commandEventId").asString()))
                        .containsExactly(run.commandEventId(), runStopped.commandEventId(), stop.commandEventId());
                agent.report("r", running.value(), a.instanceId(), "Success", "");
                assertThat(agent.answer("r").path("type").asString()).isEqualTo("ack");
            }
        }
    }
}
