package io.stopplane.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.stopplane.model.json.StopPlaneJson;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The files a run leaves, from made-up measurements: results.json with the keys issue 8 asks for, results.md, and the
 * picture. (The bench itself is not run here: it needs a whole stack and minutes; no timing is asserted anywhere.)
 */
class ResultsTest {

    @TempDir
    Path out;

    @Test
    void writesTheKeysThePictureAndTheTable() throws Exception {
        BenchConfig config = BenchConfig.of(true, out, URI.create("http://127.0.0.1:8080"), "127.0.0.1:9092", "k",
                "s", null, "1", List.of("i-bench0001"), null, null, Set.copyOf(BenchConfig.ALL_PHASES), null);
        Results r = new Results(config);
        r.e2e = new E2eStopBench.Result(histogram(12, 40), histogram(3, 9), histogram(13, 41), histogram(12, 40), 1000,
                0, 0, Map.of("Terminated", 1000), 200, 4, 1000, 30, Map.of("total", 10.0));
        r.raw = new RawChainBench.Result(histogram(2, 8), 200, 1000, 0, new int[] {452, 604, 1203}, Map.of());
        r.throughput = new ThroughputBench.Result(2100, 80, List.of(), 1400, 2800, 16, 400_000, Map.of());
        r.fanout = new FanoutBench.Result(10, 1000, 20, 2.5, 2.4, 0.2, 0.3, true, "", Map.of());
        r.recovery = new RecoveryBench.Result(100_000, 300_020, 3, 15, 20_000, 12, 8, 20, 6, 700.0, "used", Map.of(),
                "");
        HostileBench.Retention retention = new HostileBench.Retention(180, 480, 100, 47_000, Map.of(),
                List.of(new HostileBench.Sample(0, 80.0, 10), new HostileBench.Sample(200, 100.0, 19_000),
                        new HostileBench.Sample(220, 101.0, 19_500)), 100.5, 0.2, 80.0, 0.001, 440.0);
        r.hostile = new HostileBench.Result(1_000_000, 1000, 60, 30, histogram(8, 40), Map.of("RUN", histogram(9, 45)),
                0, 0, 0, Map.of("RUN OK", 4800L), 900_000, 140, Map.of("BAD_SIGNATURE Throttling", 180_000L), 900.0,
                990.0, retention, "");

        r.write();

        JsonNode json = StopPlaneJson.mapper().readTree(Files.readString(out.resolve("results.json")));
        for (String key : List.of("p50", "p90", "p99", "max", "rate_per_s", "count")) {
            assertThat(json.path("e2e_stop_latency_ms").has(key)).as(key).isTrue();
        }
        assertThat(json.path("raw_kafka_chain_latency_ms").has("p50")).isTrue();
        assertThat(json.path("raw_kafka_chain_latency_ms").has("p99")).isTrue();
        assertThat(json.path("api_throughput").has("stop_invocations_per_s")).isTrue();
        assertThat(json.path("api_throughput").has("p99_ms")).isTrue();
        assertThat(json.has("raw_producer_records_per_s")).isTrue();
        assertThat(json.has("fanout_1000_processes_s")).isTrue();
        assertThat(json.path("dispatcher_recovery_s").has("invocations")).isTrue();
        assertThat(json.path("dispatcher_recovery_s").has("seconds")).isTrue();
        for (String key : List.of("invocations", "seconds", "heap_mb")) {
            assertThat(json.path("api_view_recovery_s").has(key)).as(key).isTrue();
        }
        for (String key : List.of("honest_p99_ms", "honest_5xx", "heap_ratio_after", "retention_heap_mb")) {
            assertThat(json.path("hostile").path(key).isNumber()).as(key).isTrue();
        }
        assertThat(json.path("hostile").path("heap_ratio_after").asDouble()).isEqualTo(1.1);
        assertThat(json.path("hostile").path("retention").path("samples")).hasSize(3);
        assertThat(json.path("targets").path("hostile_heap_ratio_le_1_2").asBoolean()).isTrue();
        assertThat(json.path("targets").path("hostile_retention_heap_flat").asBoolean()).isTrue();
        for (String key : List.of("cores", "memory_mb", "jvm")) {
            assertThat(json.path("machine").has(key)).as(key).isTrue();
        }
        assertThat(Files.readString(out.resolve("results.md"))).contains("| Measurement |", "latency.png");
        assertThat(Files.size(out.resolve("latency.png"))).isGreaterThan(1000);
    }

    @Test
    void theFleetHasTheFiguresOfIssue14NextToTheirTargets() throws Exception {
        BenchConfig config = BenchConfig.of(false, out, URI.create("http://127.0.0.1:8080"), "127.0.0.1:9092", "k",
                "s", null, "1", List.of("i-bench0001"), null, null, Set.of("fleet"), null);
        Results r = new Results(config);
        r.fleet = fleet(new FleetBench.Reconnect(12.5, 14.0, 9.0, 2000, 2000, 0, 0, 10_000), 10_000, 600.0, 0.05);

        r.write();

        JsonNode json = StopPlaneJson.mapper().readTree(Files.readString(out.resolve("results.json")));
        JsonNode fleet = json.path("fleet");
        assertThat(fleet.path("agents").asInt()).isEqualTo(10_000);
        assertThat(fleet.path("gateway_heap_mb").asInt()).isEqualTo(600);
        assertThat(fleet.path("gateway_idle_cpu_cores").asDouble()).isEqualTo(0.05);
        assertThat(fleet.path("stop_latency_ms").path("p50").asDouble()).isCloseTo(12.0, within(0.1));
        assertThat(fleet.path("stop_latency_ms").path("p99").asDouble()).isCloseTo(40.0, within(0.1));
        assertThat(fleet.path("reconnect_all_s").asDouble()).isEqualTo(12.5);
        assertThat(fleet.path("stops_lost").asInt()).isZero();
        assertThat(fleet.path("kafka_clients").asInt()).isEqualTo(3);
        assertThat(fleet.path("register_all_s").asDouble()).isEqualTo(40.0);
        for (String target : List.of("fleet_10000_agents", "fleet_gateway_heap_le_1gb",
                "fleet_gateway_idle_cpu_le_0_1_core", "fleet_stop_p50_le_15ms", "fleet_stop_p99_le_50ms",
                "fleet_reconnect_all_le_30s", "fleet_0_stops_lost")) {
            assertThat(json.path("targets").path(target).asBoolean()).as(target).isTrue();
        }
        assertThat(Files.readString(out.resolve("results.md"))).contains("(7) Simulated agents", "≤ 30 s, 0 lost");
    }

    @Test
    void aFleetThatMissesSaysWhichTargets() {
        FleetBench.Result slow = fleet(new FleetBench.Reconnect(45.0, 47.0, 30.0, 2000, 1985, 10, 5, 9_000), 1000,
                1500.0, 0.3);

        Map<String, Boolean> met = Results.fleetTargets(slow);

        assertThat(met).containsEntry("fleet_10000_agents", false).containsEntry("fleet_gateway_heap_le_1gb", false)
                .containsEntry("fleet_gateway_idle_cpu_le_0_1_core", false)
                .containsEntry("fleet_reconnect_all_le_30s", false).containsEntry("fleet_0_stops_lost", false)
                .containsEntry("fleet_stop_p50_le_15ms", true);
        assertThat(Results.fleetJson(slow).get("stops_lost")).isEqualTo(10);
        assertThat(((Map<?, ?>) Results.fleetJson(slow).get("reconnect")).get("stops_not_landed_agent_not_back"))
                .isEqualTo(5);
    }

    @Test
    void theBrokerConnectionsAreCountedFromSsAndThoseOfTheGatewayApart() {
        String ss = """
                ESTAB 0 0 127.0.0.1:41000 127.0.0.1:9092 users:(("java",pid=4242,fd=88))
                ESTAB 0 0 127.0.0.1:41002 127.0.0.1:9092 users:(("java",pid=4242,fd=90))
                ESTAB 0 0 127.0.0.1:41004 127.0.0.1:9092 users:(("java",pid=42420,fd=12))

                """;

        assertThat(FleetBench.count(ss, "pid=4242,")).isEqualTo(new FleetBench.KafkaClients(3, 2));
    }

    private static FleetBench.Result fleet(FleetBench.Reconnect reconnect, int agents, double heapMb, double cores) {
        return new FleetBench.Result(agents, 10, 40, 20, 150.0, heapMb, "total 1000K, used 600K", cores, 60,
                Map.of("agent-gateway", cores * 60), Map.of("agent-heartbeats", 200_000L),
                new FleetBench.KafkaClients(20, 3),
                new FleetBench.KafkaClients(21, 3), histogram(12, 40), histogram(8, 30), histogram(13, 42), 3000, 0,
                0, 5000, 20, reconnect, Map.of("Gateway.Starting", 120L), "");
    }

    private static Histogram histogram(int p50Ms, int p99Ms) {
        Histogram h = new Histogram(600_000_000L, 3);
        for (int i = 0; i < 98; i++) {
            h.recordValue(p50Ms * 1000L);
        }
        h.recordValue(p99Ms * 1000L);
        h.recordValue(p99Ms * 1000L);
        return h;
    }
}
