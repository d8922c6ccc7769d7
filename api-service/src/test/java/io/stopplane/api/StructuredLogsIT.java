package io.stopplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.api.support.ApiITSupport;
import io.stopplane.api.support.RpcHttp;
import io.stopplane.api.support.RpcHttp.Transport;
import io.stopplane.model.json.StopPlaneJson;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

/**
 * {@code STOPPLANE_LOG_FORMAT=json} on the real executable jar (built by {@code package}, before failsafe): every line
 * it prints is one JSON object, and a request's lines carry its {@code requestId} from the MDC.
 */
class StructuredLogsIT extends ApiITSupport {

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void withStopplaneLogFormatJsonEveryLineIsAJsonObjectAndRequestsCarryTheirRequestId() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "api-it-logs"));
        Path stdout = logs.resolve("json-logs.out");
        Path stderr = logs.resolve("json-logs.err");
        int apiPort = freePort();
        int managementPort = freePort();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar().toString());
        pb.environment().putAll(Map.of("STOPPLANE_LOG_FORMAT", "json", "STOPPLANE_KAFKA_BOOTSTRAP", brokers,
                "STOPPLANE_API_PORT", String.valueOf(apiPort), "STOPPLANE_API_MANAGEMENT_PORT",
                String.valueOf(managementPort), "STOPPLANE_TOPIC_PARTITIONS", "3"));
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process api = pb.start();
        String okId;
        String errorId;
        try {
            RpcHttp client = new RpcHttp(apiPort, managementPort);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                assertThat(api.isAlive()).as("api-service exited; see %s", stdout).isTrue();
                return client.health() == 200;
            });
            okId = client.ok(Transport.GET, Map.of("Action", "DescribeRegions")).get("RequestId").asString();
            errorId = client.error(Transport.GET, Map.of("Action", "StopInvocation", "RegionId", REGION,
                    "InvokeId", "t-nosuch0002"), 404, "InvalidInvokeId.NotFound").get("RequestId").asString();
        } finally {
            api.destroy();
            if (!api.waitFor(30, TimeUnit.SECONDS)) {
                api.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(stdout)) {
            if (!line.isBlank()) {
                JsonNode json = StopPlaneJson.mapper().readTree(line);
                assertThat(json.isObject()).as("a JSON object: %s", line).isTrue();
                lines.add(json);
            }
        }
        assertThat(lines).as("lines of %s", stdout).hasSizeGreaterThan(10).allSatisfy(json -> {
            assertThat(json.hasNonNull("@timestamp")).isTrue();
            assertThat(json.hasNonNull("level")).isTrue();
            assertThat(json.hasNonNull("message")).isTrue();
            assertThat(json.get("service").asString()).isEqualTo("api-service");
        });
        assertThat(lines).as("the startup line").anyMatch(json -> json.get("message").asString()
                .startsWith("Started ApiApplication"));
        assertThat(lines).as("the answered request's line carries its requestId").anyMatch(json ->
                json.has("requestId") && okId.equals(json.get("requestId").asString())
                        && json.get("message").asString().contains("action=DescribeRegions"));
        assertThat(lines).as("so does the refused one's").anyMatch(json ->
                json.has("requestId") && errorId.equals(json.get("requestId").asString())
                        && json.get("message").asString().contains("InvalidInvokeId.NotFound"));
    }

    private static Path jar() throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "api-service-*.jar")) {
            for (Path jar : jars) {
                if (!jar.getFileName().toString().endsWith("-plain.jar")) {
                    return jar.toAbsolutePath();
                }
            }
        }
        throw new IllegalStateException("no target/api-service-*.jar: failsafe runs after package");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
