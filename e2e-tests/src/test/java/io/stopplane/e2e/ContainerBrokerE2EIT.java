package io.stopplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same run-and-stop path on the {@code apache/kafka} image, as production runs it. Needs a Docker engine: skipped
 * where there is none (this build machine has only the client).
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerBrokerE2EIT {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.2");

    @TempDir
    static Path state;

    private static StopPlaneProcesses stack;
    private static RpcClient api;

    @BeforeAll
    static void startStack() throws Exception {
        stack = new StopPlaneProcesses().start(KAFKA.getBootstrapServers(), state);
        api = new RpcClient(stack.apiUrl());
        api.awaitOnline(stack.agentInstances());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void runThenStopOnAContainerBroker() {
        String invokeId = api.ok("RunCommand", "Type", "RunShellScript", "CommandContent", "sleep 600",
                "InstanceId.1", stack.agentInstances().get(0)).get("InvokeId").asString();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(api.invocation(invokeId).get("InvocationStatus").asString()).isEqualTo("Running"));
        api.ok("StopInvocation", "InvokeId", invokeId);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(api.invocation(invokeId).get("InvocationStatus").asString()).isEqualTo("Stopped"));
    }
}
