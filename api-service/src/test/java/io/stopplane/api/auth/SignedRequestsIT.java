package io.stopplane.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.aliyun.ecs20140526.Client;
import com.aliyun.ecs20140526.models.DescribeInvocationsRequest;
import com.aliyun.ecs20140526.models.RunCommandRequest;
import com.aliyun.ecs20140526.models.StopInvocationRequest;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.ecs.model.v20140526.DescribeInvocationsResponse;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import io.stopplane.model.event.InvocationCreated;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.sign.SignatureV1;
import io.stopplane.model.topic.Topics;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** Signature mode with the official SDKs: right keys succeed, every wrong one fails with its code; tenants stay apart. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "stopplane.topics.partitions=3",
    "stopplane.api.auth-mode=signature",
    "stopplane.api.auth-credentials=src/test/resources/auth/credentials-it.yml"
})
@EmbeddedKafka(partitions = 3,
        topics = {"invocation-state", "invocation-outputs", "agent-heartbeats", "invocation-events",
            "instance-commands"},
        brokerProperties = {"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
@ActiveProfiles("test")
class SignedRequestsIT {

    private static final String REGION = "cn-hangzhou";
    private static final String ACCOUNT_1 = "1000000000000001";
    private static final String ACCOUNT_2 = "1000000000000002";

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedKafkaBroker broker;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theV3SdkWithTheRightKeyRunsDescribesAndStops() throws Exception {
        register(ACCOUNT_1, "i-acct1v3a");
        Client ecs = tea("LTAI5tAdmin01", "admin-secret-01");
        String invokeId = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> ecs.runCommand(
                new RunCommandRequest().setRegionId(REGION).setType("RunShellScript").setCommandContent("sleep 60")
                        .setInstanceId(List.of("i-acct1v3a"))).getBody().getInvokeId(), id -> id != null);
        assertThat(ecs.describeInvocations(new DescribeInvocationsRequest().setRegionId(REGION).setInvokeId(invokeId))
                .getBody().getInvocations().getInvocation()).hasSize(1);
        assertThat(ecs.stopInvocation(new StopInvocationRequest().setRegionId(REGION).setInvokeId(invokeId))
                .getStatusCode()).isEqualTo(200);

        InvocationCreated created = createdEvent(invokeId);
        assertThat(created.caller().accountId()).isEqualTo(ACCOUNT_1);
        assertThat(created.caller().accessKeyId()).isEqualTo("LTAI5tAdmin01");
        assertThat(created.caller().sourceIp()).isEqualTo("127.0.0.1");
        assertThat(created.caller().userAgent()).isNotBlank();
        assertThat(created.caller().requestId()).matches("[0-9A-F-]{36}");
        assertThat(created.toString()).doesNotContain("admin-secret-01");
    }

    @Test
    void eachWrongKeyFailsWithItsCodeThroughTheV3Sdk() throws Exception {
        DescribeInvocationsRequest describe = new DescribeInvocationsRequest().setRegionId(REGION);
        assertThat(teaCode(() -> tea("LTAI5tAdmin01", "wrong").describeInvocations(describe)))
                .isEqualTo("SignatureDoesNotMatch");
        assertThat(teaCode(() -> tea("LTAI5tNobody", "x").describeInvocations(describe)))
                .isEqualTo("InvalidAccessKeyId.NotFound");
        assertThat(teaCode(() -> tea("LTAI5tOff01", "off-secret-01").describeInvocations(describe)))
                .isEqualTo("InvalidAccessKeyId.Inactive");
        assertThat(teaCode(() -> tea("LTAI5tReader01", "reader-secret-01").stopInvocation(
                new StopInvocationRequest().setRegionId(REGION).setInvokeId("t-doesnotmatter"))))
                .isEqualTo("Operation.Forbidden");
        assertThat(tea("LTAI5tReader01", "reader-secret-01").describeInvocations(describe).getStatusCode())
                .isEqualTo(200);
    }

    @Test
    void theV1SdkSignsAndIsChecked() throws Exception {
        com.aliyuncs.ecs.model.v20140526.DescribeInvocationsRequest request =
                new com.aliyuncs.ecs.model.v20140526.DescribeInvocationsRequest();
        request.setSysEndpoint("127.0.0.1:" + port);
        request.setSysProtocol(ProtocolType.HTTP);
        request.setSysAcceptFormat(FormatType.JSON);
        DescribeInvocationsResponse ok = new DefaultAcsClient(DefaultProfile.getProfile(REGION, "LTAI5tAdmin01",
                "admin-secret-01")).getAcsResponse(request);
        assertThat(ok.getRequestId()).isNotBlank();
        ClientException wrong = catchThrowableOfType(ClientException.class, () -> new DefaultAcsClient(
                DefaultProfile.getProfile(REGION, "LTAI5tAdmin01", "nope")).getAcsResponse(request));
        // The SDK compares our "server string to sign" with its own: equal strings mean the only thing wrong is the
        // secret, which it reports as SDK.InvalidAccessKeySecret. So this also proves our V1 canonicalisation is its.
        assertThat(wrong.getErrCode()).isEqualTo("SDK.InvalidAccessKeySecret");
    }

    @Test
    void aReplayedNonceAndAStaleTimestampAreRefused() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String nonce = UUID.randomUUID().toString();
        assertThat(v1Get("admin-secret-01", nonce, now).statusCode()).isEqualTo(200);
        HttpResponse<String> replay = v1Get("admin-secret-01", nonce, now);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(json(replay).get("Code").asString()).isEqualTo("SignatureNonceUsed");
        HttpResponse<String> stale = v1Get("admin-secret-01", UUID.randomUUID().toString(),
                now.minus(Duration.ofMinutes(20)));
        assertThat(json(stale).get("Code").asString()).isEqualTo("InvalidTimeStamp.Expired");
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/?Action=DescribeInvocations&RegionId=cn-hangzhou&Format=JSON")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json(unsigned).get("Code").asString()).isEqualTo("IncompleteSignature");
    }

    @Test
    void accountsNeitherSeeStopNorTargetEachOthersInvocationsAndInstances() throws Exception {
        register(ACCOUNT_1, "i-acct1iso");
        register(ACCOUNT_2, "i-acct2iso");
        Client one = tea("LTAI5tAdmin01", "admin-secret-01");
        Client two = tea("LTAI5tOther02", "other-secret-02");
        String invokeId = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> one.runCommand(
                new RunCommandRequest().setRegionId(REGION).setType("RunShellScript").setCommandContent("sleep 60")
                        .setInstanceId(List.of("i-acct1iso"))).getBody().getInvokeId(), id -> id != null);

        assertThat(two.describeInvocations(new DescribeInvocationsRequest().setRegionId(REGION).setInvokeId(invokeId))
                .getBody().getInvocations().getInvocation()).isEmpty();
        assertThat(two.describeInvocations(new DescribeInvocationsRequest().setRegionId(REGION)).getBody()
                .getInvocations().getInvocation()).noneMatch(i -> i.getInvokeId().equals(invokeId));
        assertThat(teaCode(() -> two.stopInvocation(new StopInvocationRequest().setRegionId(REGION)
                .setInvokeId(invokeId)))).isEqualTo("InvalidInvokeId.NotFound");
        assertThat(teaCode(() -> two.runCommand(new RunCommandRequest().setRegionId(REGION)
                .setType("RunShellScript").setCommandContent("id").setInstanceId(List.of("i-acct1iso")))))
                .isEqualTo("InvalidInstance.NotFound");
        assertThat(teaCode(() -> one.runCommand(new RunCommandRequest().setRegionId(REGION)
                .setType("RunShellScript").setCommandContent("id").setInstanceId(List.of("i-acct2iso")))))
                .isEqualTo("InvalidInstance.NotFound");
        assertThat(one.describeInvocations(new DescribeInvocationsRequest().setRegionId(REGION).setInvokeId(invokeId))
                .getBody().getInvocations().getInvocation()).hasSize(1);
    }

    private Client tea(String keyId, String secret) throws Exception {
        return new Client(new Config().setAccessKeyId(keyId).setAccessKeySecret(secret)
                .setEndpoint("127.0.0.1:" + port).setProtocol("HTTP").setRegionId(REGION));
    }

    private static String teaCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return catchThrowableOfType(TeaException.class, call).getCode();
    }

    private HttpResponse<String> v1Get(String secret, String nonce, Instant at) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccessKeyId", "LTAI5tAdmin01");
        p.put("Action", "DescribeInvocations");
        p.put("Format", "JSON");
        p.put("RegionId", REGION);
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureNonce", nonce);
        p.put("SignatureVersion", "1.0");
        p.put("Timestamp", at.toString());
        p.put("Version", "2014-05-26");
        p.put("Signature", SignatureV1.sign(secret, SignatureV1.stringToSign("GET", p)));
        String query = p.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void register(String account, String instanceId) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(KafkaTestUtils.producerProps(broker),
                new StringSerializer(), new StringSerializer())) {
            AgentHeartbeat beat = new AgentHeartbeat(InstanceId.of(instanceId), RegionId.of(REGION), account, "1",
                    "h", Instant.now());
            producer.send(new ProducerRecord<>(Topics.AGENT_HEARTBEATS.name(), instanceId,
                    StopPlaneJson.mapper().writeValueAsString(beat))).get();
        }
    }

    private InvocationCreated createdEvent(String invokeId) {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "signed-it-" + UUID.randomUUID(), false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<InvocationCreated> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.INVOCATION_EVENTS.name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (invokeId.equals(r.key())) {
                        InvocationEvent e = StopPlaneJson.mapper().readValue(r.value(), InvocationEvent.class);
                        if (e instanceof InvocationCreated c) {
                            found.add(c);
                        }
                    }
                });
                return !found.isEmpty();
            });
        }
        return found.get(0);
    }

    private static JsonNode json(HttpResponse<String> r) {
        return StopPlaneJson.mapper().readTree(r.body());
    }
}
