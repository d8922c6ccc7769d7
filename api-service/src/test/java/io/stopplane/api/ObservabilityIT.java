package io.stopplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.api.support.ApiITSupport;
import io.stopplane.api.support.RpcHttp.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What an operator scrapes and probes, on the management port (not the API's): /actuator/prometheus after some traffic,
 * liveness and readiness.
 */
class ObservabilityIT extends ApiITSupport {

    private static final String STOP_OK = "stopplane_api_requests_total{action=\"StopInvocation\",code=\"OK\"}";
    private static final String STOP_NOT_FOUND =
            "stopplane_api_requests_total{action=\"StopInvocation\",code=\"InvalidInvokeId.NotFound\"}";
    private static final String UNKNOWN_ACTION =
            "stopplane_api_requests_total{action=\"Unknown\",code=\"InvalidApi.NotFound\"}";

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void prometheusCountsEveryRequestByOutcomeAndShowsTheViewAndTheReadersLag() throws Exception {
        register("i-obs0001");
        String invokeId = run("i-obs0001");
        String before = get("/actuator/prometheus").body();

        http.ok(Transport.GET, Map.of("Action", "StopInvocation", "RegionId", REGION, "InvokeId", invokeId));
        http.error(Transport.GET, Map.of("Action", "StopInvocation", "RegionId", REGION, "InvokeId", "t-nosuch0001"),
                404, "InvalidInvokeId.NotFound");
        http.error(Transport.GET, Map.of("Action", "NoSuchAction", "RegionId", REGION), 404, "InvalidApi.NotFound");

        String after = get("/actuator/prometheus").body();
        assertThat(value(after, STOP_OK) - value(before, STOP_OK)).isEqualTo(1.0);
        assertThat(value(after, STOP_NOT_FOUND) - value(before, STOP_NOT_FOUND)).isEqualTo(1.0);
        assertThat(value(after, UNKNOWN_ACTION) - value(before, UNKNOWN_ACTION)).as("a client cannot invent actions")
                .isEqualTo(1.0);
        assertThat(after).doesNotContain("NoSuchAction")
                .contains("# HELP stopplane_api_requests_total API requests by action and outcome");
        // the stop is in the view at once (folded locally): the gauge, counted at most a second ago, follows
        await().atMost(Duration.ofSeconds(10)).until(() ->
                value(get("/actuator/prometheus").body(), "stopplane_api_invocations{status=\"Stopping\"}") >= 1);
        assertThat(after).contains("stopplane_api_invocations{status=\"Stopped\"}")
                .contains("# HELP stopplane_api_invocations invocations in this api-service's view")
                // the hand-built readers' consumers, bound to the registry: lag per reader
                .containsPattern("kafka_consumer_fetch_manager_records_lag_max\\{[^}]*reader=\"invocation-state\"")
                .containsPattern("kafka_consumer_fetch_manager_records_lag_max\\{[^}]*reader=\"agent-heartbeats\"")
                // and the transactional producer's
                .contains("kafka_producer_record_send_total{");
    }

    @Test
    void actuatorIsNotOnTheApiPort() throws Exception {
        for (String path : new String[] {"/actuator/health", "/actuator/prometheus", "/actuator"}) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + " on the API port: " + r.body()).isEqualTo(404);
            assertThat(r.body()).contains("\"Code\":\"InvalidApi.NotFound\"").doesNotContain("status");
        }
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
    }

    @Test
    void livenessAndReadinessProbesAnswerAndReadinessCoversTheBrokerAndTheViews() throws Exception {
        HttpResponse<String> liveness = get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"readinessState\"", "\"publisherWarmup\"", "\"invocationViewHealth\"");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one series in a scrape; 0 when the series is not there yet. */
    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
