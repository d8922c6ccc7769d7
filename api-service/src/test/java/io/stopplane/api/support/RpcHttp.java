package io.stopplane.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.json.StopPlaneJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** A bare RPC client: the three ways a client may send parameters, and the assertions on the Alibaba shape. */
public final class RpcHttp {

    /** GET with a query; POST with a form body; POST with the query and an empty body, as the V3 SDKs send. */
    public enum Transport { GET, POST_FORM, POST_QUERY }

    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;
    private final String management;

    /** @param managementPort Actuator's port, apart from the API's (management.server.port) */
    public RpcHttp(int port, int managementPort) {
        this.base = "http://127.0.0.1:" + port + "/";
        this.management = "http://127.0.0.1:" + managementPort + "/";
    }

    public HttpResponse<String> call(Transport transport, Map<String, String> params) {
        String query = params.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest request = switch (transport) {
            case GET -> HttpRequest.newBuilder(URI.create(base + "?" + query)).GET().build();
            case POST_FORM -> HttpRequest.newBuilder(URI.create(base))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(query)).build();
            case POST_QUERY -> HttpRequest.newBuilder(URI.create(base + "?" + query))
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
        };
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A call that must succeed: 200, a RequestId, never a Code. */
    public JsonNode ok(Transport transport, Map<String, String> params) {
        HttpResponse<String> r = call(transport, params);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.has("Code")).as(r.body()).isFalse();
        assertThat(body.get("RequestId").asString()).matches("[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}");
        assertThat(r.headers().firstValue("x-acs-request-id")).contains(body.get("RequestId").asString());
        return body;
    }

    /** A call that must fail with the Alibaba error shape and this status and code. */
    public JsonNode error(Transport transport, Map<String, String> params, int status, String code) {
        HttpResponse<String> r = call(transport, params);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = json(r);
        assertThat(body.get("Code").asString()).as(r.body()).isEqualTo(code);
        for (String field : new String[] {"RequestId", "HostId", "Message", "Recommend"}) {
            assertThat(body.hasNonNull(field)).as(field + " in " + r.body()).isTrue();
        }
        assertThat(r.headers().firstValue("x-acs-request-id")).contains(body.get("RequestId").asString());
        return body;
    }

    public int health() {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(management + "actuator/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public static JsonNode json(HttpResponse<String> r) {
        return StopPlaneJson.mapper().readTree(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
