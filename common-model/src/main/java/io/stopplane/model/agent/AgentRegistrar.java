package io.stopplane.model.agent;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.json.StopPlaneJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /agent/v1/register}: hands the gateway an activation and a public key, and gets back the instance id
 * the control plane assigned. A 4xx is a refusal ({@link Refused}: the activation will not do); anything else, a
 * gateway that is not there or gave no verdict in time, is worth trying again. The agent registers with it, and so
 * does the bench's simulated fleet.
 */
public final class AgentRegistrar {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI uri;
    private final HttpClient http;
    private final String hostname;
    private final String agentVersion;

    public AgentRegistrar(URI uri, HttpClient http, String hostname, String agentVersion) {
        this.uri = uri;
        this.http = http;
        this.hostname = hostname;
        this.agentVersion = agentVersion;
    }

    /** The instance id and region the control plane assigned to the holder of {@code keys}. */
    public record Registered(InstanceId instanceId, RegionId regionId) {
    }

    public Registered register(String activationId, String activationCode, KeyPair keys)
            throws Refused, IOException, InterruptedException {
        Request body = new Request(activationId, activationCode, AgentKeys.publicKey(keys), AgentKeys.ALGORITHM,
                hostname, "linux", agentVersion);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(StopPlaneJson.mapper().writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json = parse(response.body());
        int status = response.statusCode();
        if (status == 200) {
            String instanceId = json.path("instanceId").asString("");
            if (!InstanceId.isValid(instanceId)) {
                throw new IOException("the gateway answered no valid instanceId");
            }
            String region = json.path("regionId").asString("cn-hangzhou");
            return new Registered(InstanceId.of(instanceId), RegionId.of(region));
        }
        if (status >= 400 && status < 500) {
            throw new Refused(json.path("code").asString("HTTP " + status), json.path("message").asString(""));
        }
        throw new IOException("registration answered HTTP " + status + " " + json.path("code").asString(""));
    }

    private static JsonNode parse(String body) {
        try {
            return StopPlaneJson.mapper().readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JacksonException e) {
            return StopPlaneJson.mapper().createObjectNode();
        }
    }

    record Request(String activationId, String activationCode, String publicKey, String keyAlgorithm, String hostname,
            String osType, String agentVersion) {
    }

    /** The control plane will not register with this activation (unknown, wrong code, expired, used up, …). */
    public static final class Refused extends Exception {

        private final String code;

        public Refused(String code, String message) {
            super(code + ": " + message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
