package io.stopplane.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client of the RPC endpoint, as any SDK calls it (no-auth local mode), with a hard bound on every call: an answer
 * that has not come within {@link #CLIENT_BOUND} is a hang. Every call is counted in the run's {@link Tally}.
 */
final class Rpc {

    /** How long a client waits for an answer; anything longer is counted as a hang. */
    static final Duration CLIENT_BOUND = Duration.ofSeconds(12);
    static final String REGION = "cn-hangzhou";
    static final JsonMapper JSON = JsonMapper.builder().build();

    enum Kind { OK, CLIENT_ERROR, SERVER_ERROR, NO_ANSWER, HANG }

    /** One call's outcome. {@code code} is the error body's Code (or the exception for NO_ANSWER/HANG). */
    record Answer(String action, Kind kind, int status, String code, JsonNode body, long millis) {

        boolean ok() {
            return kind == Kind.OK;
        }

        /** True when the client cannot know whether the request took effect: retry it (with its ClientToken). */
        boolean unknown() {
            return kind == Kind.SERVER_ERROR || kind == Kind.NO_ANSWER || kind == Kind.HANG;
        }

        @Override
        public String toString() {
            return action + " → " + (ok() ? "200" : status > 0 ? status + " " + code : kind + " " + code) + " in "
                    + millis + " ms";
        }
    }

    private final String base;
    private final Tally tally;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    Rpc(String base, Tally tally) {
        this.base = base.endsWith("/") ? base : base + "/";
        this.tally = tally;
    }

    /** Calls an action with {@code key, value, key, value, …}; never throws, never waits past the bound. */
    Answer call(String action, String... keyValues) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Action", action);
        params.put("Format", "JSON");
        params.put("RegionId", REGION);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        long start = System.nanoTime();
        Answer answer;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "?" + query))
                    .timeout(CLIENT_BOUND).GET().build(), HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            JsonNode body = parse(r.body());
            if (r.statusCode() == 200) {
                answer = new Answer(action, Kind.OK, 200, null, body, millis);
            } else {
                String code = body != null && body.hasNonNull("Code") ? body.get("Code").asString()
                        : "HTTP " + r.statusCode();
                answer = new Answer(action, r.statusCode() >= 500 ? Kind.SERVER_ERROR : Kind.CLIENT_ERROR,
                        r.statusCode(), code, body, millis);
            }
        } catch (HttpTimeoutException e) {
            answer = new Answer(action, Kind.HANG, 0, "no answer within " + CLIENT_BOUND.toSeconds() + " s", null,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            answer = new Answer(action, Kind.NO_ANSWER, 0, e.getClass().getSimpleName(), null,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = new Answer(action, Kind.NO_ANSWER, 0, "interrupted", null,
                    (System.nanoTime() - start) / 1_000_000);
        }
        if (tally != null) {
            tally.count(answer);
        }
        return answer;
    }

    /** {@code /actuator/health} of a service on 127.0.0.1: the parsed body (UP or DOWN), or null if it does not answer. */
    JsonNode health(int port) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health")).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return parse(r.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String status(JsonNode health) {
        return health == null || !health.hasNonNull("status") ? "-" : health.get("status").asString();
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
