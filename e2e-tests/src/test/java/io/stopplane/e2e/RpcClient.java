package io.stopplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client of the RPC endpoint, as curl would call it. */
final class RpcClient {

    private final String url;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    RpcClient(String url) {
        this.url = url;
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
