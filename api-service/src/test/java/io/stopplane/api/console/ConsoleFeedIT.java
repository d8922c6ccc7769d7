package io.stopplane.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.heartbeat.AgentHeartbeat;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.sign.SignatureV1;
import io.stopplane.model.topic.Topics;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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

/**
 * The console's API side in signature mode, over HTTP as a script would use it: the live feed is signed, permissioned,
 * tenant-scoped, bounded (the refusal in the Alibaba shape, counted) and beats; the timeline and caller actions are
 * checked like every action.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "stopplane.topics.partitions=3",
    "stopplane.api.auth-mode=signature",
    "stopplane.api.auth-credentials=src/test/resources/auth/credentials-console-it.yml",
    "stopplane.api.console.feed.max-clients=2",
    "stopplane.api.console.feed.heartbeat=1s"
})
@EmbeddedKafka(partitions = 3,
        topics = {"invocation-state", "invocation-outputs", "agent-heartbeats", "invocation-events",
            "instance-commands"},
        brokerProperties = {"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
@ActiveProfiles("test")
class ConsoleFeedIT {

    private static final String REGION = "cn-hangzhou";
    private static final String ADMIN = "LTAI5tConsoleAdmin";
    private static final String READER = "LTAI5tConsoleReader";
    private static final String OTHER = "LTAI5tConsoleOther";
    private static final Map<String, String> SECRETS = Map.of(ADMIN, "console-admin-secret",
            READER, "console-reader-secret", "LTAI5tConsoleRegions", "console-regions-secret",
            OTHER, "console-other-secret");

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    MeterRegistry meters;

    @Autowired
    InvocationFeed feed;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theFeedStreamsTheCallersOwnInvocationsAndBeats() throws Exception {
        register("2000000000000001", "i-feed0001");
        register("2000000000000002", "i-feed0002");
        try (Stream feed = open(READER)) {
            assertThat(feed.response.statusCode()).isEqualTo(200);
            assertThat(feed.response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
            await().atMost(Duration.ofSeconds(10)).until(() -> feed.lines.contains("event:ready"));

            String theirs = run(OTHER, "i-feed0002");
            String ours = run(ADMIN, "i-feed0001");

            await().atMost(Duration.ofSeconds(10)).until(() -> feed.data().anyMatch(d -> d.contains(ours)));
            JsonNode event = StopPlaneJson.mapper().readTree(feed.data().filter(d -> d.contains(ours)).findFirst()
                    .orElseThrow());
            assertThat(event.get("InvocationStatus").asString()).isEqualTo("Pending");
            assertThat(event.get("InvokeInstances").get(0).get("InstanceId").asString()).isEqualTo("i-feed0001");
            // the other account's came first: had it been visible it would be on the stream before ours
            assertThat(feed.data()).noneMatch(d -> d.contains(theirs));
            await().atMost(Duration.ofSeconds(10)).until(() -> feed.lines.contains(":heartbeat"));
        }
    }

    @Test
    void anUnsignedOrUnpermittedFeedIsRefusedInTheAlibabaShape() throws Exception {
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/console/events?RegionId=" + REGION)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(400);
        assertThat(json(unsigned).get("Code").asString()).isEqualTo("IncompleteSignature");
        assertThat(json(unsigned).has("RequestId")).isTrue();

        HttpResponse<String> forbidden = http.send(HttpRequest.newBuilder(URI.create(signedUrl("/console/events",
                "LTAI5tConsoleRegions", Map.of("RegionId", REGION)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(json(forbidden).get("Code").asString()).isEqualTo("Operation.Forbidden");
    }

    @Test
    void streamsBeyondTheBoundAreRefusedAndCounted() throws Exception {
        // the other tests' streams are gone once a heartbeat found them closed
        await().atMost(Duration.ofSeconds(10)).until(() -> feed.size() == 0);
        double before = meters.counter("stopplane.console.feed.refused").count();
        try (Stream first = open(READER); Stream second = open(ADMIN)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> first.lines.contains("event:ready")
                    && second.lines.contains("event:ready"));
            HttpResponse<String> third = http.send(HttpRequest.newBuilder(URI.create(signedUrl("/console/events",
                    READER, Map.of()))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(json(third).get("Code").asString()).isEqualTo("ServiceUnavailable");
            assertThat(meters.counter("stopplane.console.feed.refused").count()).isEqualTo(before + 1);
        }
    }

    @Test
    void theTimelineShowsWhoRanAnInvocationOnlyToItsAccount() throws Exception {
        register("2000000000000001", "i-feed0003");
        String invokeId = run(ADMIN, "i-feed0003");
        JsonNode timeline = json(get(READER, "DescribeInvocationTimeline", "InvokeId", invokeId));
        JsonNode first = timeline.get("Events").get("Event").get(0);
        assertThat(first.get("Type").asString()).isEqualTo("InvocationCreated");
        assertThat(first.get("Caller").get("AccessKeyId").asString()).isEqualTo(ADMIN);
        assertThat(first.get("Caller").get("AccountId").asString()).isEqualTo("2000000000000001");
        assertThat(timeline.get("Truncated").asBoolean()).isFalse();

        // ServiceUnavailable while the view is still reading invocation-state to its start-up end: a miss then proves
        // nothing, so the API asks the caller to retry; once read, the other account's miss is a plain not-found.
        HttpResponse<String> theirs = await().until(
                () -> get(OTHER, "DescribeInvocationTimeline", "InvokeId", invokeId), r -> r.statusCode() != 503);
        assertThat(theirs.statusCode()).isEqualTo(404);
        assertThat(json(theirs).get("Code").asString()).isEqualTo("InvalidInvokeId.NotFound");
        HttpResponse<String> unpermitted = get("LTAI5tConsoleRegions", "DescribeInvocationTimeline",
                "InvokeId", invokeId);
        assertThat(json(unpermitted).get("Code").asString()).isEqualTo("Operation.Forbidden");
    }

    @Test
    void getCallerIdentityTellsAKeyWhatItMayCall() throws Exception {
        JsonNode reader = json(get(READER, "GetCallerIdentity"));
        assertThat(reader.get("AccountId").asString()).isEqualTo("2000000000000001");
        assertThat(reader.get("AccessKeyId").asString()).isEqualTo(READER);
        assertThat(texts(reader.get("Actions").get("Action")))
                .containsExactly("DescribeInvocationTimeline", "DescribeInvocations", "GetCallerIdentity");
        assertThat(texts(json(get(ADMIN, "GetCallerIdentity")).get("Actions").get("Action"))).contains("RunCommand", "StopInvocation", "GetCallerIdentity");
    }

    @Test
    void thePageIsServedByTheApiAndMayLoadOnlyFromIt() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/console/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"console.js\">").doesNotContain("://");
        assertThat(page.headers().firstValue("content-security-policy")).hasValue(ConsoleHeaders.POLICY);
        HttpResponse<String> signer = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/console/sign.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signer.statusCode()).isEqualTo(200);
        assertThat(signer.body()).contains("ACS3-HMAC-SHA256");
    }

    /** An open stream whose lines are collected by a reader thread until it is closed. */
    private final class Stream implements AutoCloseable {
        final HttpResponse<InputStream> response;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Stream(HttpResponse<InputStream> response) {
            this.response = response;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (Exception e) {
                    // closed by the test
                }
            }, "feed-reader");
            reader.setDaemon(true);
            reader.start();
        }

        java.util.stream.Stream<String> data() {
            return lines.stream().filter(l -> l.startsWith("data:")).map(l -> l.substring(5));
        }

        @Override
        public void close() throws Exception {
            response.body().close();
        }
    }

    private Stream open(String keyId) throws Exception {
        return new Stream(http.send(HttpRequest.newBuilder(URI.create(signedUrl("/console/events", keyId,
                Map.of("RegionId", REGION)))).build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    private String run(String keyId, String instanceId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> r = get(keyId, "RunCommand", "Type", "RunShellScript", "CommandContent", "sleep 1",
                    "InstanceId.1", instanceId);
            return r.statusCode() == 200 ? json(r).get("InvokeId").asString() : null;
        }, id -> id != null);
    }

    private HttpResponse<String> get(String keyId, String action, String... keyValues) throws Exception {
        Map<String, String> params = new TreeMap<>();
        params.put("Action", action);
        params.put("RegionId", REGION);
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return http.send(HttpRequest.newBuilder(URI.create(signedUrl("/", keyId, params))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A V1-signed URL, as a script with curl would build it. */
    private String signedUrl(String path, String keyId, Map<String, String> params) {
        Map<String, String> p = new TreeMap<>(params);
        p.put("AccessKeyId", keyId);
        p.put("Format", "JSON");
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureNonce", UUID.randomUUID().toString());
        p.put("SignatureVersion", "1.0");
        p.put("Timestamp", Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"));
        p.put("Version", "2014-05-26");
        p.put("Signature", SignatureV1.sign(SECRETS.get(keyId), SignatureV1.stringToSign("GET", p)));
        return "http://127.0.0.1:" + port + path + "?" + p.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString).toList();
    }

    private static JsonNode json(HttpResponse<String> r) {
        return StopPlaneJson.mapper().readTree(r.body());
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
}
