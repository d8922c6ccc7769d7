package io.stopplane.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.gateway.delivery.DeliveryReadiness;
import io.stopplane.gateway.registry.RegistryView;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.command.StopCommand;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.json.StopPlaneJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * The gateway on the embedded KRaft broker, with a test-side registry fold and a test-side agent client. One context
 * (and broker) for all gateway ITs; every test uses fresh activations, instances and invocations.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "server.address=127.0.0.1",
    "management.server.port=0",
    "stopplane.gateway.id=gw-test",
    "stopplane.topics.partitions=3",
    "stopplane.gateway.heartbeat-interval=1s",
    "stopplane.gateway.hello-timeout=5s",
    "stopplane.gateway.max-handshakes-in-flight=" + GatewayITSupport.HANDSHAKES_IN_FLIGHT
})
@EmbeddedKafka(partitions = 3, brokerProperties = {
    "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
@Import(GatewayITSupport.Parts.class)
public abstract class GatewayITSupport {

    /** Few enough that a test can fill them; more than any other test holds at once. */
    protected static final int HANDSHAKES_IN_FLIGHT = 8;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestConfiguration
    static class Parts {
        @Bean
        TestBroker testBroker(EmbeddedKafkaBroker broker) {
            return new TestBroker(broker.getBrokersAsString());
        }

        @Bean
        TestRegistryFold testRegistryFold(TestBroker broker) {
            return new TestRegistryFold(broker);
        }
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected TestBroker broker;

    @Autowired
    protected TestRegistryFold fold;

    @Autowired
    protected MeterRegistry meters;

    @Autowired
    protected RegistryView registryView;

    @Autowired
    DeliveryReadiness delivery;

    /** A hello before the gateway has read its topics is answered Gateway.Starting: wait for that first. */
    @BeforeEach
    void gatewayReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> registryView.ready() && delivery.ready());
    }

    protected URI connectUri() {
        return URI.create("ws://127.0.0.1:" + port + "/agent/v1/connect");
    }

    /** POST /agent/v1/register; the status and the JSON body. */
    protected Map.Entry<Integer, JsonNode> register(Map<String, Object> body) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/agent/v1/register"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(StopPlaneJson.mapper().writeValueAsString(body)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return Map.entry(response.statusCode(), StopPlaneJson.mapper().readTree(response.body()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static Map<String, Object> registration(String activationId, String code, TestIdentity identity) {
        return Map.of("activationId", activationId, "activationCode", code, "publicKey", identity.publicKey(),
                "keyAlgorithm", "Ed25519", "hostname", "test-host", "osType", "linux", "agentVersion", "0.1.0");
    }

    /** A new identity registered through the real path (gateway → registry-events → fold → agent-registry → gateway). */
    protected TestIdentity registered() {
        String code = "code-" + UUID.randomUUID();
        String activation = activation(code);
        TestIdentity identity = TestIdentity.generate();
        Map.Entry<Integer, JsonNode> answer = register(registration(activation, code, identity));
        assertThat(answer.getKey()).as(answer.getValue().toString()).isEqualTo(200);
        identity.registeredAs(answer.getValue().path("instanceId").asString());
        return identity;
    }

    /** A live activation, created a while ago: the gateway has read it. */
    protected String activation(String code) {
        return known(fold.activation(code));
    }

    /** Waits until the gateway has read the activation (and whatever the fold wrote before it). */
    protected String known(String activationId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> registryView.activation(activationId).isPresent());
        return activationId;
    }

    protected static RunCommand run(InvokeId invokeId, TestIdentity target) {
        return new RunCommand(UUID.randomUUID().toString(), invokeId, InstanceId.of(target.instanceId()),
                Instant.now(), new CommandSpec(CommandId.of("c-test"), "test", null, CommandSpec.RUN_SHELL_SCRIPT,
                        "echo secret-content", 60, null, null, null));
    }

    protected static StopCommand stop(InvokeId invokeId, TestIdentity target) {
        return new StopCommand(UUID.randomUUID().toString(), invokeId, InstanceId.of(target.instanceId()),
                Instant.now(), "req-" + UUID.randomUUID());
    }

    protected double pendingCommands() {
        return meters.get("stopplane.gateway.pending.commands").gauge().value();
    }

    protected double refusals(String reason) {
        var counter = meters.find("stopplane.gateway.refusals").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
