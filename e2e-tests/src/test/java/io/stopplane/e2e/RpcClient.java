package io.stopplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.stopplane.model.sign.SignatureV1;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client of the RPC endpoint, as curl would call it; with a key, each call is signed (V1, HMAC-SHA1) as
 * {@code aliyun-java-sdk-core} signs it, with the same code the API verifies with ({@link SignatureV1}).
 */
final class RpcClient {

    private final String url;
    private final String accessKeyId;
    private final String accessKeySecret;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    RpcClient(String url) {
        this(url, null, null);
    }

    RpcClient(String url, String accessKeyId, String accessKeySecret) {
        this.url = url;
        this.accessKeyId = accessKeyId;
        this.accessKeySecret = accessKeySecret;
    }

    JsonNode ok(String action, String... keyValues) {
        HttpResponse<String> r = call(action, keyValues);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    HttpResponse<String> call(String action, String... keyValues) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Action", action);
        params.put("Format", "JSON");
        params.put("RegionId", "cn-hangzhou");
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        if (accessKeyId != null) {
            params.put("AccessKeyId", accessKeyId);
            params.put("SignatureMethod", "HMAC-SHA1");
            params.put("SignatureVersion", "1.0");
            params.put("SignatureNonce", UUID.randomUUID().toString());
            params.put("Timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            params.put("Version", "2014-05-26");
            params.put("Signature", SignatureV1.sign(accessKeySecret, SignatureV1.stringToSign("GET", params)));
        }
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + "?" + query)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the API has seen a heartbeat of each instance: RunCommand only targets registered instances. */
    void awaitOnline(java.util.List<String> instanceIds) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() -> {
            String[] params = new String[instanceIds.size() * 2];
            for (int i = 0; i < instanceIds.size(); i++) {
                params[2 * i] = "InstanceId." + (i + 1);
                params[2 * i + 1] = instanceIds.get(i);
            }
            JsonNode set = ok("DescribeCloudAssistantStatus", params).get("InstanceCloudAssistantStatusSet")
                    .get("InstanceCloudAssistantStatus");
            java.util.Set<String> online = new java.util.HashSet<>();
            for (JsonNode s : set) {
                if ("true".equals(s.get("CloudAssistantStatus").asString())) {
                    online.add(s.get("InstanceId").asString());
                }
            }
            assertThat(online).containsAll(instanceIds);
        });
    }

    /** The invocation as DescribeInvocations shows it. */
    JsonNode invocation(String invokeId) {
        return ok("DescribeInvocations", "InvokeId", invokeId, "IncludeOutput", "true", "ContentEncoding", "PlainText")
                .get("Invocations").get("Invocation").get(0);
    }

    JsonNode instance(String invokeId, String instanceId) {
        for (JsonNode i : invocation(invokeId).get("InvokeInstances").get("InvokeInstance")) {
            if (i.get("InstanceId").asString().equals(instanceId)) {
                return i;
            }
        }
        throw new AssertionError("no instance " + instanceId + " in " + invokeId);
    }
}
