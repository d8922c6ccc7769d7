package io.stopplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.gateway.support.GatewayITSupport;
import io.stopplane.gateway.support.TestAgent;
import io.stopplane.model.json.StopPlaneJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import tools.jackson.databind.JsonNode;

/** Health and metrics on the management port, apart from the port agents reach. */
class ObservabilityIT extends GatewayITSupport {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalManagementPort
    int managementPort;

    @Test
    void healthShowsTheBrokerAndTheGatewayAndTheMetersAreExported() throws Exception {
        await().untilAsserted(() -> {
            JsonNode health = StopPlaneJson.mapper().readTree(get(managementPort, "/actuator/health"));
            assertThat(health.path("components").path("broker").path("status").asString()).isEqualTo("UP");
            assertThat(health.path("components").path("gateway").path("status").asString()).isEqualTo("UP");
            assertThat(health.path("components").path("gateway").path("details").path("gatewayId").asString())
                    .isEqualTo("gw-test");
        });
        try (TestAgent agent = TestAgent.connect(connectUri()).hello(registered())) {
            agent.await("welcome");
            String metrics = get(managementPort, "/actuator/prometheus");
            assertThat(metrics).contains("stopplane_gateway_refusals_total{reason=\"Hello.BadSignature\"}")
                    .contains("stopplane_gateway_registrations_total{outcome=\"accepted\"}")
                    .contains("stopplane_gateway_connections ")
                    .contains("stopplane_gateway_instances_connected ")
                    .contains("stopplane_gateway_pending_commands ")
                    .contains("reader=\"instance-commands\"");
        }
        // and none of it on the agents' port
        assertThat(status(port, "/actuator/health")).isEqualTo(404);
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int status(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
