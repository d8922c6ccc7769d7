package io.stopplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.api.support.ApiITSupport;
import io.stopplane.model.command.InstanceCommand;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.command.StopCommand;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.topic.Topics;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import tools.jackson.databind.JsonNode;

/** The RPC endpoint on a real broker: what each action answers and what it publishes. */
class RpcApiIT extends ApiITSupport {

    @Autowired
    EmbeddedKafkaBroker broker;

    private final HttpClient client = HttpClient.newHttpClient();
    private KafkaConsumer<String, InstanceCommand> commands;
    private final List<ConsumerRecord<String, InstanceCommand>> seen = new ArrayList<>();

    @BeforeEach
    void consumer() {
        register("i-api0001", "i-api0002", "i-api0003", "i-api0004", "i-api0005", "i-api0006");
        Map<String, Object> c = KafkaTestUtils.consumerProps(broker, "api-it-" + UUID.randomUUID(), false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        commands = new KafkaConsumer<>(c, new StringDeserializer(),
                new JacksonJsonDeserializer<>(InstanceCommand.class, StopPlaneJson.mapper(), false));
        commands.subscribe(List.of(Topics.INSTANCE_COMMANDS.name()));
    }

    @AfterEach
    void close() {
        commands.close();
    }

    @Test
    void runCommandPublishesOneRunPerInstanceKeyedByInstance() throws Exception {
        HttpResponse<String> r = call("GET", Map.of("Action", "RunCommand", "RegionId", "cn-hangzhou",
                "Type", "RunShellScript", "CommandContent", "c2xlZXAgNjAw", "ContentEncoding", "Base64",
                "InstanceId.1", "i-api0001", "InstanceId.2", "i-api0002", "Timeout", "120"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        String invokeId = body.get("InvokeId").asString();
        assertThat(invokeId).startsWith("t-");
        assertThat(body.get("CommandId").asString()).startsWith("c-");
        assertThat(body.get("RequestId").asString()).matches("[0-9A-F-]{36}");
        assertThat(body.has("Code")).isFalse();

        List<RunCommand> runs = awaitCommands(invokeId, RunCommand.class, 2);
        assertThat(runs).extracting(run -> run.instanceId().value()).containsExactlyInAnyOrder("i-api0001", "i-api0002");
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.command().content()).isEqualTo("sleep 600");
            assertThat(run.command().timeoutSeconds()).isEqualTo(120);
        });
        assertThat(seen).filteredOn(rec -> rec.value().invokeId().value().equals(invokeId))
                .allSatisfy(rec -> {
                    assertThat(rec.key()).isEqualTo(rec.value().instanceId().value());
                    assertThat(new String(rec.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                            .isEqualTo("io.stopplane.command.RunCommand");
                    assertThat(new String(rec.headers().lastHeader("ce_source").value(), StandardCharsets.UTF_8))
                            .isEqualTo("/stopplane/api-service");
                    assertThat(rec.headers().lastHeader("ce_id")).isNotNull();
                });

        JsonNode described = json(call("GET", Map.of("Action", "DescribeInvocations", "RegionId", "cn-hangzhou",
                "InvokeId", invokeId)));
        JsonNode invocation = described.get("Invocations").get("Invocation").get(0);
        assertThat(invocation.get("InvocationStatus").asString()).isEqualTo("Pending");
        assertThat(invocation.get("InvokeStatus").asString()).isEqualTo("Running");
        assertThat(invocation.get("InvokeInstances").get("InvokeInstance")).hasSize(2);
        assertThat(described.get("TotalCount").asInt()).isEqualTo(1);
    }

    @Test
    void stopInvocationPublishesStopsOnlyForNamedTargets() throws Exception {
        String invokeId = json(call("POST", Map.of("Action", "RunCommand", "RegionId", "cn-hangzhou",
                "Type", "RunShellScript", "CommandContent", "sleep 600",
                "InstanceId.1", "i-api0003", "InstanceId.2", "i-api0004"))).get("InvokeId").asString();
        HttpResponse<String> stop = call("POST", Map.of("Action", "StopInvocation", "RegionId", "cn-hangzhou",
                "InvokeId", invokeId, "InstanceId.1", "i-api0004", "InstanceId.2", "i-api0004"));
        assertThat(stop.statusCode()).isEqualTo(200);
        assertThat(json(stop).size()).isEqualTo(1);
        assertThat(json(stop).has("RequestId")).isTrue();
        List<StopCommand> stops = awaitCommands(invokeId, StopCommand.class, 1);
        assertThat(stops).extracting(s -> s.instanceId().value()).containsExactly("i-api0004");
    }

    @Test
    void errorsUseTheAlibabaShapeAndOrder() throws Exception {
        assertError(call("GET", Map.of("Action", "StopInvocation", "InvokeId", "t-abc")), 400, "MissingParameter",
                "RegionId");
        assertError(call("GET", Map.of("Action", "StopInvocation", "RegionId", "cn-hangzhou")), 400,
                "MissingParameter", "InvokeId");
        assertError(call("GET", Map.of("Action", "StopInvocation", "RegionId", "mars-north-1", "InvokeId", "t-abc")),
                404, "InvalidRegionId.NotFound", "RegionId");
        Map<String, String> many = IntStream.rangeClosed(1, 51).boxed()
                .collect(Collectors.toMap(i -> "InstanceId." + i, i -> "i-many" + i));
        Map<String, String> tooMany = new java.util.HashMap<>(many);
        tooMany.putAll(Map.of("Action", "StopInvocation", "RegionId", "cn-hangzhou", "InvokeId", "t-abc"));
        assertError(call("POST", tooMany), 403, "InstanceIds.ExceedLimit", "number of instance IDs");
        assertError(call("GET", Map.of("Action", "StopInvocation", "RegionId", "cn-hangzhou", "InvokeId", "t-nope")),
                404, "InvalidInvokeId.NotFound", "invoke ID");
        String invokeId = json(call("GET", Map.of("Action", "RunCommand", "RegionId", "cn-hangzhou",
                "Type", "RunShellScript", "CommandContent", "true", "InstanceId.1", "i-api0005")))
                .get("InvokeId").asString();
        assertError(call("GET", Map.of("Action", "StopInvocation", "RegionId", "cn-hangzhou", "InvokeId", invokeId,
                "InstanceId.1", "i-other0001")), 404, "InvalidInstanceId.NotFound", "InstanceId");
        assertError(call("GET", Map.of("Action", "NoSuchAction", "RegionId", "cn-hangzhou")), 404,
                "InvalidApi.NotFound", "api");
        assertError(call("GET", Map.of("Action", "RunCommand", "RegionId", "cn-hangzhou", "Type", "RunShellScript",
                "CommandContent", "true", "InstanceId.1", "i-api0006", "Timeout", "abc")), 400, "InvalidParameter",
                "Timeout");
    }

    @Test
    void formatXmlRendersTheSameAnswerAsXml() throws Exception {
        HttpResponse<String> r = call("GET", Map.of("Action", "StopInvocation", "Format", "XML",
                "RegionId", "cn-hangzhou", "InvokeId", "t-nope"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("<Error>").contains("<Code>InvalidInvokeId.NotFound</Code>")
                .contains("<RequestId>");
    }

    @Test
    void actionMayComeFromTheV3HeaderWithParametersInTheQueryOfAPost() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/?RegionId=cn-hangzhou&InvokeId=t-nope"))
                .header("x-acs-action", "StopInvocation").header("x-acs-version", "2014-05-26")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertError(r, 404, "InvalidInvokeId.NotFound", "invoke ID");
    }

    private void assertError(HttpResponse<String> r, int status, String code, String messagePart) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = json(r);
        assertThat(body.get("Code").asString()).isEqualTo(code);
        assertThat(body.get("Message").asString()).contains(messagePart);
        assertThat(body.get("RequestId").asString()).isNotBlank();
        assertThat(body.has("HostId")).isTrue();
        assertThat(body.has("Recommend")).isTrue();
    }

    private <T extends InstanceCommand> List<T> awaitCommands(String invokeId, Class<T> type, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            commands.poll(Duration.ofMillis(200)).forEach(seen::add);
            return matching(invokeId, type).size() >= count;
        });
        return matching(invokeId, type);
    }

    private <T extends InstanceCommand> List<T> matching(String invokeId, Class<T> type) {
        return seen.stream().map(ConsumerRecord::value)
                .filter(type::isInstance).map(type::cast)
                .filter(c -> c.invokeId().value().equals(invokeId)).toList();
    }

    private HttpResponse<String> call(String method, Map<String, String> params) throws Exception {
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b;
        if (method.equals("GET")) {
            b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?" + query)).GET();
        } else {
            b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(query));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) {
        return StopPlaneJson.mapper().readTree(r.body());
    }
}
