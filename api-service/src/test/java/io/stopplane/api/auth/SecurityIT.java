package io.stopplane.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.api.ApiApplication;
import io.stopplane.api.support.LogScan;
import io.stopplane.api.support.RawFuzz;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.sign.Hashing;
import io.stopplane.model.sign.Percent;
import io.stopplane.model.sign.SignatureV1;
import io.stopplane.model.sign.SignatureV3;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Signature mode against hostile callers, over raw sockets: a replay refused on a second replica (two api-service
 * contexts on one broker), the throttle per source address before authentication, the V3 signed-header rule through a
 * hand-signed request, and a log scan: after every error path of the signature probes and a fuzz, with a marker in
 * every CommandContent and in every secret, no log line above DEBUG carries a marker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "stopplane.topics.partitions=3",
    "stopplane.api.auth-mode=signature",
    "stopplane.api.auth-credentials=src/test/resources/auth/credentials-security-it.yml",
    "stopplane.api.throttle.source-failures-per-second=" + SecurityIT.SOURCE_FAILURES
})
@EmbeddedKafka(partitions = 3,
        topics = {"invocation-state", "invocation-outputs", "agent-heartbeats", "invocation-events",
            "instance-commands", "api-nonces"},
        brokerProperties = {"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
@ActiveProfiles("test")
class SecurityIT {

    static final int SOURCE_FAILURES = 5;
    private static final String KEY = "LTAI5tMarked09";
    private static final String SECRET = "secretmarker-one-09";
    private static final String CONTENT = "echo contentmarker";
    private static final String REGION = "cn-hangzhou";
    private static ConfigurableApplicationContext replicaB;

    @LocalServerPort
    int port;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Autowired
    NonceCache nonces;

    @AfterAll
    static void stopReplicaB() {
        if (replicaB != null) {
            replicaB.close();
        }
    }

    @Test
    void aReplayIsRefusedByAnotherReplicaOnceItHasReadTheNonce() throws Exception {
        ConfigurableApplicationContext b = replicaB();
        int portB = ((WebServerApplicationContext) b).getWebServer().getPort();
        NonceCache noncesB = b.getBean(NonceCache.class);
        String nonce = UUID.randomUUID().toString();
        byte[] request = v1("DescribeRegions", Map.of(), SECRET, nonce, now());
        assertThat(code(send(port, request))).isEqualTo("OK");
        long accepted = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> noncesB.contains(KEY, nonce));
        System.out.printf("SecurityIT: replica B knew replica A's nonce %.1f ms after A answered%n",
                (System.nanoTime() - accepted) / 1e6);
        RawFuzz.Response replay = send(portB, request);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(code(replay)).isEqualTo("SignatureNonceUsed");
        assertThat(code(send(port, request))).as("and on A itself").isEqualTo("SignatureNonceUsed");
        assertThat(code(send(portB, v1("DescribeRegions", Map.of(), SECRET, UUID.randomUUID().toString(), now()))))
                .as("B takes fresh nonces").isEqualTo("OK");
    }

    @Test
    void aSourceOverItsFailuresIsThrottledBeforeAuthenticationAndOthersAreNot() throws Exception {
        InetAddress flooder = InetAddress.getByName("127.0.0.2");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < 4 * SOURCE_FAILURES && !codes.contains("Throttling"); i++) {
                codes.add(code(send(port, v1("DescribeRegions", Map.of(), "wrong", UUID.randomUUID().toString(),
                        now()), flooder)));
            }
            // a bad signature answered Throttling, not SignatureDoesNotMatch: refused before its signature was checked
            assertThat(codes).contains("SignatureDoesNotMatch", "Throttling");
            RawFuzz.Response good = send(port, v1("DescribeRegions", Map.of(), SECRET, UUID.randomUUID().toString(),
                    now()), flooder);
            assertThat(code(good)).as("even a good request from the throttled source").isEqualTo("Throttling");
            assertThat(good.head()).containsIgnoringCase("x-acs-retry-after");
            assertThat(RawFuzz.problem(good)).isNull();
            assertThat(code(send(port, v1("DescribeRegions", Map.of(), SECRET, UUID.randomUUID().toString(), now()))))
                    .as("another source").isEqualTo("OK");
        });
    }

    @Test
    void aV3RequestMustSignTheHeadersAlibabaRequires() throws Exception {
        assertThat(code(send(port, v3(SECRET, Authenticator.V3_SIGNED_HEADERS)))).isEqualTo("OK");
        for (String left : List.of("x-acs-date", "x-acs-signature-nonce", "x-acs-action", "x-acs-content-sha256")) {
            List<String> signed = Authenticator.V3_SIGNED_HEADERS.stream().filter(h -> !h.equals(left)).toList();
            RawFuzz.Response r = send(port, v3(SECRET, signed));
            assertThat(code(r)).as("without %s signed: %s", left, r).isEqualTo("IncompleteSignature");
        }
    }

    @Test
    void aKeyWhoseSecretIsInAFileSigns() throws Exception {
        assertThat(code(send(port, v1("DescribeRegions", Map.of(), "secretmarker-file-09", UUID.randomUUID().toString(),
                now(), "LTAI5tFiled09")))).isEqualTo("OK");
        assertThat(code(send(port, v1("RunCommand", Map.of("RegionId", REGION, "Type", "RunShellScript",
                "CommandContent", "id", "InstanceId.1", "i-nosuch0001"), "secretmarker-file-09",
                UUID.randomUUID().toString(), now(), "LTAI5tFiled09")))).as("its actions only")
                .isEqualTo("Operation.Forbidden");
    }

    @Test
    void noLogLineCarriesASecretOrCommandContentAfterAnyErrorPath() throws Exception {
        Map<String, String> run = Map.of("RegionId", REGION, "Type", "RunShellScript", "CommandContent", CONTENT,
                "InstanceId.1", "i-nosuch0001");
        try (LogScan logs = new LogScan()) {
            String nonce = UUID.randomUUID().toString();
            byte[] signed = v1("RunCommand", run, SECRET, nonce, now());
            List<byte[]> probes = List.of(signed, signed, // the second is a replay
                    v1("RunCommand", run, "wrong-secretmarker", UUID.randomUUID().toString(), now()),
                    v1("RunCommand", run, SECRET, UUID.randomUUID().toString(), now().minus(Duration.ofMinutes(20))),
                    v1("RunCommand", run, SECRET, UUID.randomUUID().toString(), now(), "LTAI5tNobody"),
                    v3("wrong-secretmarker", Authenticator.V3_SIGNED_HEADERS),
                    v3(SECRET, List.of("host")));
            List<String> codes = new ArrayList<>();
            for (byte[] probe : probes) {
                // each from an address of its own: the source throttle is not what this test is about
                codes.add(code(send(port, probe, InetAddress.getByName("127.0.1." + (10 + codes.size())))));
            }
            assertThat(codes).contains("InvalidInstance.NotFound", "SignatureNonceUsed", "SignatureDoesNotMatch",
                    "InvalidTimeStamp.Expired", "InvalidAccessKeyId.NotFound", "IncompleteSignature");
            RawFuzz fuzz = new RawFuzz(port, "contentmarker", InetAddress.getByName("127.0.0.4"));
            Random random = new Random(20261207);
            for (int i = 0; i < 300; i++) {
                assertThat(RawFuzz.problem(fuzz.next(random).response())).isNull();
            }
            assertThat(logs.lines()).as("the scan sees the refusals").anyMatch(l -> l.contains("SignatureDoesNotMatch"));
            assertThat(logs.linesWith("contentmarker", "secretmarker")).isEmpty();
        }
    }

    private ConfigurableApplicationContext replicaB() {
        if (replicaB == null) {
            // arguments, not default properties: those would lose to application.yml's
            replicaB = new SpringApplicationBuilder(ApiApplication.class).profiles("test").run(
                    "--server.port=0", "--management.server.port=0",
                    "--spring.kafka.bootstrap-servers=" + brokers,
                    "--stopplane.topics.partitions=3",
                    "--stopplane.api.auth-mode=signature",
                    "--stopplane.api.auth-credentials=src/test/resources/auth/credentials-security-it.yml");
        }
        return replicaB;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private static byte[] v1(String action, Map<String, String> params, String secret, String nonce, Instant at) {
        return v1(action, params, secret, nonce, at, KEY);
    }

    /** A V1-signed GET as raw bytes. */
    private static byte[] v1(String action, Map<String, String> params, String secret, String nonce, Instant at,
            String keyId) {
        Map<String, String> p = new TreeMap<>(params);
        p.put("AccessKeyId", keyId);
        p.put("Action", action);
        p.put("Format", "JSON");
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureNonce", nonce);
        p.put("SignatureVersion", "1.0");
        p.put("Timestamp", at.toString());
        p.put("Version", "2014-05-26");
        p.put("Signature", SignatureV1.sign(secret, SignatureV1.stringToSign("GET", p)));
        String query = p.entrySet().stream().map(e -> Percent.encode(e.getKey()) + "=" + Percent.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return ("GET /?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A V3-signed POST of DescribeRegions, by hand, signing only {@code signed} (a CommandContent rides along). */
    private static byte[] v3(String secret, List<String> signed) {
        Map<String, String> query = Map.of("RegionId", REGION, "CommandContent", CONTENT);
        byte[] body = new byte[0];
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "127.0.0.1");
        headers.put("x-acs-action", "DescribeRegions");
        headers.put("x-acs-version", "2014-05-26");
        headers.put("x-acs-date", now().toString());
        headers.put("x-acs-signature-nonce", UUID.randomUUID().toString());
        headers.put("x-acs-content-sha256", Hashing.sha256Hex(body));
        String stringToSign = SignatureV3.stringToSign(SignatureV3.canonicalRequest("POST", "/", query, headers, signed,
                Hashing.sha256Hex(body)));
        StringBuilder raw = new StringBuilder("POST /?" + Percent.canonicalQuery(query) + " HTTP/1.1\r\n");
        headers.forEach((k, v) -> raw.append(k).append(": ").append(v).append("\r\n"));
        raw.append("authorization: ACS3-HMAC-SHA256 Credential=").append(KEY).append(",SignedHeaders=")
                .append(String.join(";", signed.stream().sorted().toList())).append(",Signature=")
                .append(SignatureV3.sign(secret, stringToSign)).append("\r\n");
        raw.append("Connection: close\r\nContent-Length: 0\r\n\r\n");
        return raw.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static RawFuzz.Response send(int port, byte[] request) throws Exception {
        return send(port, request, InetAddress.getLoopbackAddress());
    }

    private static RawFuzz.Response send(int port, byte[] request, InetAddress from) throws Exception {
        return new RawFuzz(port, "", from).send(request);
    }

    /** OK for a success, else the error's Code. */
    private static String code(RawFuzz.Response r) {
        JsonNode body = StopPlaneJson.mapper().readTree(r.body());
        return r.status() == 200 && !body.has("Code") ? "OK" : body.path("Code").asString();
    }
}
