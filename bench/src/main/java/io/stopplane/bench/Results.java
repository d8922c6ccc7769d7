package io.stopplane.bench;

import io.stopplane.model.json.StopPlaneJson;
import java.awt.Color;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What the phases found, written as results.json, results.md and latency.png. */
final class Results {

    final BenchConfig config;
    final String started = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    final String loadAtStart = Progress.loadAverage();
    String loadAtEnd;
    E2eStopBench.Result e2e;
    final List<E2eStopBench.Result> e2eByRate = new ArrayList<>();
    RawChainBench.Result raw;
    ThroughputBench.Result throughput;
    FanoutBench.Result fanout;
    StateWritesBench.Result stateWrites;
    RecoveryBench.Result recovery;
    HostileBench.Result hostile;
    FleetBench.Result fleet;
    final Map<String, String> failures = new LinkedHashMap<>();
    final Map<String, String> loadByPhase = new LinkedHashMap<>();

    Results(BenchConfig config) {
        this.config = config;
    }

    // ---- results.json -------------------------------------------------------------------------------------------

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", started);
        m.put("mode", config.quick() ? "quick" : "full");
        m.put("target", config.target().toString());
        m.put("machine", machine());
        if (e2e != null) {
            Map<String, Object> e = new LinkedHashMap<>(Latency.summary(e2e.e2e()));
            e.put("rate_per_s", e2e.ratePerSecond());
            e.put("count", e2e.e2e().getTotalCount());
            e.put("warmup_stops_not_counted", e2e.stops() - e2e.e2e().getTotalCount());
            e.put("errors", e2e.errors());
            e.put("lost", e2e.lost());
            e.put("outcomes", e2e.outcomes());
            e.put("observed_through", "a read_committed consumer of invocation-state (the topic the API's view reads),"
                    + " every stop; for every " + config.apiSampleEvery()
                    + "th stop also DescribeInvocations, every 1 ms from the moment the state is committed (the API's"
                    + " view reads the same topic and cannot answer Terminated before)");
            e.put("api_sample_ms", Latency.summary(e2e.apiSeen()));
            e.put("api_sample_same_stops_via_state_topic_ms", Latency.summary(e2e.watcherSameSample()));
            e.put("stop_invocation_response_ms", Latency.summary(e2e.stopResponse()));
            e.put("invocations_started_beforehand", e2e.started());
            e.put("start_seconds", Latency.round(e2e.startSeconds()));
            e.put("cpu_seconds_while_stopping", e2e.cpu());
            m.put("e2e_stop_latency_ms", e);
            if (!e2eByRate.isEmpty()) {
                List<Map<String, Object>> rates = new ArrayList<>();
                for (E2eStopBench.Result r : e2eByRate) {
                    Map<String, Object> x = new LinkedHashMap<>(Latency.summary(r.e2e()));
                    x.put("rate_per_s", r.ratePerSecond());
                    x.put("stop_invocation_response_ms", Latency.summary(r.stopResponse()));
                    x.put("cpu_seconds_while_stopping", r.cpu());
                    rates.add(x);
                }
                m.put("e2e_stop_latency_at_other_rates_ms", rates);
            }
        }
        if (raw != null) {
            Map<String, Object> r = new LinkedHashMap<>(Latency.summary(raw.chain()));
            r.put("rate_per_s", raw.ratePerSecond());
            r.put("hops", 3);
            r.put("record_bytes", raw.recordBytes());
            r.put("producer", "acks=all, enable.idempotence=true, linger.ms=0; consumers read_committed, no group");
            r.put("lost", raw.lost());
            r.put("cpu_seconds", raw.cpu());
            m.put("raw_kafka_chain_latency_ms", r);
        }
        if (e2e != null && raw != null) {
            m.put("e2e_to_raw_chain_p99_ratio", Latency.round(ratio()));
            m.put("e2e_to_raw_chain_p50_ratio", Latency.round(Latency.ms(e2e.e2e(), 50) / Latency.ms(raw.chain(), 50)));
        }
        if (throughput != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("stop_invocations_per_s", throughput.bestRate());
            t.put("p99_ms", throughput.bestP99());
            t.put("p99_limit_ms", ThroughputBench.P99_LIMIT_MS);
            t.put("signature", "V3 (ACS3-HMAC-SHA256), POST, one instance per call");
            t.put("steps", throughput.steps());
            t.put("cpu_seconds_best_step", throughput.cpu());
            m.put("api_throughput", t);
            m.put("raw_producer_records_per_s", Math.round(throughput.rawRecordsPerSecond()));
            Map<String, Object> rp = new LinkedHashMap<>();
            rp.put("decisions_per_s", Math.round(throughput.rawDecisionsPerSecond()));
            rp.put("records_per_s", Math.round(throughput.rawRecordsPerSecond()));
            rp.put("settings", "acks=all, enable.idempotence=true, linger.ms=0, transactional: one transaction per "
                    + "decision with the API's two records (event + command), like the API");
            rp.put("producers_in_flight", throughput.rawThreads());
            rp.put("pipelined_non_transactional_records_per_s", Math.round(throughput.rawPipelinedRecordsPerSecond()));
            m.put("raw_producer", rp);
        }
        if (fanout != null) {
            m.put("fanout_1000_processes_s", Latency.round(fanout.stopSeconds()));
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("invocations", fanout.invocations());
            f.put("processes", fanout.processes());
            f.put("stop_calls_answered_s", Latency.round(fanout.callsSeconds()));
            f.put("first_terminated_s", Latency.round(fanout.firstTerminatedSeconds()));
            f.put("all_terminated_through_describe_invocations_s", Latency.round(fanout.stopSeconds()));
            f.put("all_terminated_on_invocation_state_s", Latency.round(fanout.stateSeconds()));
            f.put("describe_invocations_agrees", fanout.confirmedByApi());
            f.put("start_of_the_processes_s", Latency.round(fanout.startSeconds()));
            f.put("cpu_seconds_while_stopping", fanout.cpu());
            if (!fanout.note().isEmpty()) {
                f.put("note", fanout.note());
            }
            m.put("fanout", f);
        }
        if (stateWrites != null) {
            // the figure every reader of invocation-state pays; the changelogs' beside it
            m.put("state_write_amplification_100_targets", round2(stateWrites.stateAmplification()));
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("targets", stateWrites.targets());
            w.put("final_state_bytes", stateWrites.finalStateBytes());
            w.put("invocation_state_bytes_written", stateWrites.stateBytes());
            w.put("changelog_bytes_written", stateWrites.changelogBytes());
            w.put("changelog_amplification", round2(stateWrites.changelogAmplification()));
            w.put("how", "created, then Running and Success for each target written onto invocation-events; key and"
                    + " value bytes of every committed record of the invocation counted on invocation-state and on the"
                    + " dispatcher's two store changelogs, each divided by the final state record's key and value"
                    + " bytes");
            m.put("state_writes", w);
        }
        if (recovery != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("invocations", recovery.invocations());
            d.put("seconds", Latency.round(recovery.dispatcherSeconds()));
            d.put("healthy_s", Latency.round(recovery.dispatcherHealthySeconds()));
            d.put("how", "SIGKILL, then bin/stopplane start dispatcher; seconds from the start until completions"
                    + " written while it was down are folded onto the restored states (exactly-once: store rebuilt"
                    + " from its changelog)");
            m.put("dispatcher_recovery_s", d);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("invocations", recovery.invocations());
            a.put("seconds", Latency.round(recovery.apiSeconds()));
            a.put("heap_mb", recovery.heapMb());
            a.put("healthy_s", Latency.round(recovery.apiHealthySeconds()));
            a.put("heap_detail", recovery.heapDetail());
            a.put("how", "SIGKILL, then bin/stopplane start api-service; seconds from the start until"
                    + " DescribeInvocations answers a sample of the invocations with their right status; heap used"
                    + " after jcmd GC.run");
            m.put("api_view_recovery_s", a);
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("events", recovery.events());
            l.put("events_per_invocation", 3);
            l.put("written_s", Latency.round(recovery.produceSeconds()));
            l.put("folded_s", Latency.round(recovery.foldSeconds()));
            l.put("fold_events_per_s", Math.round(recovery.foldEventsPerSecond()));
            l.put("topic_bytes", recovery.topicBytes());
            if (!recovery.note().isEmpty()) {
                l.put("note", recovery.note());
            }
            m.put("recovery_log", l);
        }
        if (hostile != null) {
            m.put("hostile", hostileJson(hostile));
        }
        if (fleet != null) {
            m.put("fleet", fleetJson(fleet));
        }
        m.put("targets", targets());
        m.put("load_average", Map.of("start", loadAtStart, "end", loadAtEnd == null ? "" : loadAtEnd,
                "by_phase", loadByPhase));
        if (!failures.isEmpty()) {
            m.put("failures", failures);
        }
        return m;
    }

    /** The {@code hostile} object: the four figures of issue 17 first, then how they were taken. */
    static Map<String, Object> hostileJson(HostileBench.Result h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("honest_p99_ms", Latency.round(Latency.ms(h.honest(), 99)));
        m.put("honest_5xx", h.honest5xx());
        m.put("heap_ratio_after", h.heapRatio() == null ? null : Latency.round(h.heapRatio()));
        HostileBench.Retention r = h.retention();
        m.put("retention_heap_mb", r == null || r.heapMb() == null ? null : Math.round(r.heapMb()));
        m.put("invocations_in_view", h.invocations());
        m.put("accounts", h.accounts());
        m.put("preload_s", Latency.round(h.preloadSeconds()));
        m.put("view_read_s", Latency.round(h.viewSeconds()));
        Map<String, Object> honest = new LinkedHashMap<>(Latency.summary(h.honest()));
        honest.put("rate_per_s", HostileBench.HONEST_RATE);
        honest.put("source", "127.0.0.1");
        honest.put("io_errors", h.honestErrors());
        honest.put("not_sent", h.honestNotSent());
        Map<String, Object> kinds = new LinkedHashMap<>();
        h.honestByKind().forEach((k, v) -> kinds.put(k, Latency.summary(v)));
        honest.put("by_kind_ms", kinds);
        honest.put("answers", h.honestCodes());
        m.put("honest_ms", honest);
        Map<String, Object> abuse = new LinkedHashMap<>();
        abuse.put("connections", HostileBench.ABUSERS);
        abuse.put("sources", "127.0.0.2-127.0.0." + (1 + HostileBench.ABUSE_SOURCES));
        abuse.put("requests", h.abuseRequests());
        abuse.put("per_s", Math.round(h.abuseRequests() / Math.max(0.001, h.abuseSeconds())));
        abuse.put("answers", h.abuseCodes());
        m.put("abuse", abuse);
        m.put("heap_before_mb", h.heapBeforeMb());
        m.put("heap_after_mb", h.heapAfterMb());
        if (r != null) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("retention_s", r.retentionSeconds());
            x.put("run_s", r.runSeconds());
            x.put("run_commands_per_s", r.rate());
            x.put("runs_accepted", r.runs());
            x.put("refused", r.errors());
            x.put("window_full_after_s", r.retentionSeconds() + HostileBench.EXPIRY_SLACK_SECONDS);
            x.put("heap_mb_once_full", r.heapMb() == null ? null : Latency.round(r.heapMb()));
            x.put("slope_mb_per_min_once_full", r.slopeMbPerMinute() == null ? null
                    : Latency.round(r.slopeMbPerMinute()));
            x.put("baseline_heap_mb", r.baselineMb());
            x.put("mb_per_invocation", r.mbPerInvocation() == null ? null
                    : Math.round(r.mbPerInvocation() * 1e6) / 1e6);
            x.put("extrapolated_retention_1h_heap_mb", r.extrapolatedOneHourMb() == null ? null
                    : Math.round(r.extrapolatedOneHourMb()));
            x.put("extrapolation", "baseline + mb_per_invocation × 100/s × 3,600 s (the live window of a 1 h"
                    + " retention), mb_per_invocation = (heap once full − baseline) / invocations in the view");
            List<Map<String, Object>> samples = new ArrayList<>();
            for (HostileBench.Sample s : r.samples()) {
                Map<String, Object> y = new LinkedHashMap<>();
                y.put("t_s", s.seconds());
                y.put("heap_mb", s.heapMb());
                y.put("invocations_in_view", s.invocationsInView());
                samples.add(y);
            }
            x.put("samples", samples);
            m.put("retention", x);
        }
        m.put("how", "heap: used after jcmd GC.run (GC.heap_info) of the api-service; honest latency from each call's"
                + " due time (open loop), warm-up not counted");
        if (!h.note().isEmpty()) {
            m.put("note", h.note());
        }
        return m;
    }

    /** The {@code fleet} object: the figures of issue 14 first, then how they were taken. */
    static Map<String, Object> fleetJson(FleetBench.Result f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agents", f.agents());
        m.put("gateway_heap_mb", f.heapMb() == null ? null : Math.round(f.heapMb()));
        m.put("gateway_idle_cpu_cores", Double.isNaN(f.idleCpuCores()) ? null
                : Math.round(f.idleCpuCores() * 1000) / 1000.0);
        Map<String, Object> stop = new LinkedHashMap<>(Latency.summary(f.stopLatency()));
        stop.put("rate_per_s", FleetBench.STOP_RATE);
        stop.put("errors", f.stopErrors());
        stop.put("lost", f.stopsLost());
        stop.put("stop_frame_at_the_agent_ms", Latency.summary(f.stopArrived()));
        stop.put("api_sample_ms", Latency.summary(f.apiSeen()));
        stop.put("how", "StopInvocation of one invocation per agent, open loop from each stop's due time, until its"
                + " Terminated is committed on invocation-state (what DescribeInvocations answers from; every 20th stop"
                + " also followed through DescribeInvocations: api_sample_ms); each simulated agent reports Terminated"
                + " as soon as the StopCommand frame arrives (stop_frame_at_the_agent_ms)");
        m.put("stop_latency_ms", stop);
        FleetBench.Reconnect r = f.reconnect();
        m.put("reconnect_all_s", r == null ? null : Latency.round(r.fromRestartSeconds()));
        m.put("stops_lost", r == null ? null : r.lost());
        if (r != null) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("from_restart_s", Latency.round(r.fromRestartSeconds()));
            x.put("from_kill_s", Latency.round(r.fromKillSeconds()));
            x.put("gateway_healthy_s", Latency.round(r.gatewayHealthySeconds()));
            x.put("stops_while_away", r.stops());
            x.put("stops_landed", r.landed());
            x.put("stops_lost", r.lost());
            x.put("stops_not_landed_agent_not_back", r.away());
            x.put("agents_connected_again", r.connectedAgain());
            x.put("how", "SIGKILL of the agent-gateway with every agent connected, then bin/stopplane start"
                    + " agent-gateway at once; meanwhile StopInvocation at 100/s of invocations Running on other agents;"
                    + " seconds from the start until every agent is welcomed again and every one of those stops is"
                    + " Terminated on invocation-state; the agents reconnect with the agent's backoff (250 ms doubling"
                    + " to 5 s, jitter); a stop not landed at the deadline is lost if its agent is connected again,"
                    + " else it waits for its agent (stops_not_landed_agent_not_back)");
            m.put("reconnect", x);
        }
        m.put("kafka_clients", f.kafkaWithFleet().gateway());
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("gateway_with_fleet", f.kafkaWithFleet().gateway());
        k.put("gateway_before_fleet", f.kafkaBefore().gateway());
        k.put("all_clients_with_fleet", f.kafkaWithFleet().total());
        k.put("all_clients_before_fleet", f.kafkaBefore().total());
        k.put("how", "established TCP connections to the broker's port (ss -tnp state established dport = :PORT), all"
                + " and those of the gateway's pid");
        m.put("kafka_connections", k);
        m.put("register_all_s", Latency.round(f.registerSeconds()));
        m.put("registrations_per_s", Math.round(f.agents() / Math.max(0.001, f.registerSeconds())));
        m.put("activations", f.activations());
        m.put("connect_all_s", Latency.round(f.connectSeconds()));
        m.put("heap_detail", f.heapDetail());
        m.put("gateway_heap_before_fleet_mb", f.heapBeforeMb() == null ? null : Math.round(f.heapBeforeMb()));
        m.put("heap_how", "jcmd <gateway pid> GC.run, then GC.heap_info: used heap after a full GC");
        m.put("idle_s", Latency.round(f.idleSeconds()));
        m.put("idle_cpu_seconds", f.idleCpu());
        m.put("idle_topic_bytes_per_s", f.idleTopicBytesPerSecond());
        m.put("idle_how", "the gateway's utime+stime (/proc/<pid>/stat) over the idle stretch with every agent"
                + " connected and pinging every 10 s, / its wall seconds; idle_cpu_seconds: every part and this bench");
        m.put("invocations_started", f.started());
        m.put("start_s", Latency.round(f.startSeconds()));
        m.put("agent_errors", f.agentErrors());
        if (!f.note().isEmpty()) {
            m.put("note", f.note());
        }
        return m;
    }

    /** Issue 14's targets for the fleet, by name: met or not. */
    static Map<String, Boolean> fleetTargets(FleetBench.Result f) {
        Map<String, Boolean> t = new LinkedHashMap<>();
        t.put("fleet_10000_agents", f.agents() >= 10_000);
        t.put("fleet_gateway_heap_le_1gb", f.heapMb() != null && f.heapMb() <= 1024);
        t.put("fleet_gateway_idle_cpu_le_0_1_core", f.idleCpuCores() <= 0.1);
        t.put("fleet_stop_p50_le_15ms", Latency.ms(f.stopLatency(), 50) <= 15);
        t.put("fleet_stop_p99_le_50ms", Latency.ms(f.stopLatency(), 99) <= 50);
        FleetBench.Reconnect r = f.reconnect();
        t.put("fleet_reconnect_all_le_30s", r != null && r.fromRestartSeconds() <= 30);
        t.put("fleet_0_stops_lost", r != null && r.lost() == 0 && f.stopsLost() == 0);
        return t;
    }

    double ratio() {
        return Latency.ms(e2e.e2e(), 99) / Latency.ms(raw.chain(), 99);
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private Map<String, Object> targets() {
        Map<String, Object> t = new LinkedHashMap<>();
        if (e2e != null) {
            t.put("e2e_p50_le_20ms", Latency.ms(e2e.e2e(), 50) <= 20);
            t.put("e2e_p99_le_60ms", Latency.ms(e2e.e2e(), 99) <= 60);
        }
        if (e2e != null && raw != null) {
            t.put("e2e_p99_le_3x_raw_chain_p99", ratio() <= 3);
        }
        if (throughput != null) {
            t.put("api_ge_2000_per_s", throughput.bestRate() >= 2000);
        }
        if (fanout != null) {
            t.put("fanout_le_3s", fanout.stopSeconds() <= 3);
        }
        if (stateWrites != null) {
            t.put("state_write_amplification_100_targets_le_3", stateWrites.stateAmplification() <= 3
                    && stateWrites.changelogAmplification() <= 3);
        }
        if (recovery != null) {
            t.put("dispatcher_recovery_le_60s", recovery.dispatcherSeconds() <= 60);
            t.put("api_recovery_le_60s", recovery.apiSeconds() <= 60);
            t.put("api_heap_le_1gb", recovery.heapMb() != null && recovery.heapMb() <= 1024);
        }
        if (hostile != null) {
            t.put("hostile_honest_p99_le_50ms", Latency.ms(hostile.honest(), 99) <= HostileBench.P99_TARGET_MS);
            t.put("hostile_honest_no_5xx", hostile.honest5xx() == 0);
            t.put("hostile_heap_ratio_le_1_2", hostile.heapRatio() != null
                    && hostile.heapRatio() <= HostileBench.HEAP_RATIO_TARGET);
            t.put("hostile_retention_heap_flat", hostile.retention() != null && hostile.retention().flat());
        }
        if (fleet != null) {
            t.putAll(fleetTargets(fleet));
        }
        return t;
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory_mb", memTotalMb());
        m.put("cpu", cpuModel());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        String opts = System.getenv("STOPPLANE_JAVA_OPTS");
        m.put("service_jvm_options", opts == null ? "bin/stopplane default (-Xms64m -Xmx512m)" : opts);
        m.put("bench_jvm_options", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return m;
    }

    private static long memTotalMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return "unknown";
    }

    // ---- results.md ----------------------------------------------------------------------------------------------

    String markdown() {
        StringBuilder md = new StringBuilder();
        Map<String, Object> machine = machine();
        md.append("# StopPlane bench (").append(config.quick() ? "quick" : "full").append(" run)\n\n");
        md.append(String.format("%s, %s cores (%s), %s MB RAM, %s. Everything on this one machine: broker, the three "
                + "services, the agent's processes and the bench. Load average at start %s, at end %s.%n%n",
                started.substring(0, 16).replace('T', ' ') + " UTC", machine.get("cores"), machine.get("cpu"),
                machine.get("memory_mb"), machine.get("jvm"), loadAtStart, loadAtEnd));
        md.append("| Measurement | Result | Target | |\n|---|---|---|---|\n");
        if (e2e != null) {
            Histogram h = e2e.e2e();
            row(md, String.format("(1) End-to-end stop latency, StopInvocation at %.0f/s to `Terminated` committed "
                    + "(n=%d)", e2e.ratePerSecond(), h.getTotalCount()), percentiles(h),
                    "p50 ≤ 20 ms, p99 ≤ 60 ms", Latency.ms(h, 50) <= 20 && Latency.ms(h, 99) <= 60);
            row(md, String.format("(1) the same, until DescribeInvocations says so (every %dth stop; asked every 1 ms "
                    + "once committed)", config.apiSampleEvery()), p50p99(e2e.apiSeen())
                    + String.format(" (n=%d)", e2e.apiSeen().getTotalCount()), "", null);
            row(md, "(1) StopInvocation response time at that rate", p50p99(e2e.stopResponse()), "", null);
            for (E2eStopBench.Result r : e2eByRate) {
                row(md, String.format("(1) the same at %.0f stops/s (n=%d)", r.ratePerSecond(),
                        r.e2e().getTotalCount()), percentiles(r.e2e()), "", null);
            }
        }
        if (raw != null) {
            row(md, String.format("(2) Raw Kafka chain, 3 × produce→consume, same broker, sizes (%d/%d/%d B), "
                    + "acks=all, same rate", raw.recordBytes()[0], raw.recordBytes()[1], raw.recordBytes()[2]),
                    p50p99(raw.chain()), "", null);
        }
        if (e2e != null && raw != null) {
            row(md, "(1) p99 / (2) p99", String.format("%.1f×", ratio()), "≤ 3×", ratio() <= 3);
        }
        if (throughput != null) {
            row(md, "(3) API throughput: StopInvocation, signed V3, p99 ≤ 100 ms",
                    String.format("%.0f calls/s (p99 %s ms)", throughput.bestRate(), f(throughput.bestP99())),
                    "≥ 2,000/s", throughput.bestRate() >= 2000);
            row(md, String.format("(3) raw producers, same durability (acks=all, idempotent, one transaction of the "
                    + "same 2 records per decision, %d in flight)", throughput.rawThreads()),
                    String.format("%.0f decisions/s = %.0f records/s", throughput.rawDecisionsPerSecond(),
                            throughput.rawRecordsPerSecond()), "", null);
            row(md, "(3) one idempotent acks=all producer, no transactions, pipelined",
                    String.format("%.0f records/s", throughput.rawPipelinedRecordsPerSecond()), "", null);
        }
        if (fanout != null) {
            row(md, String.format("(4) Fan-out: %d processes (%d invocations × %d instances, one agent) stopped by %d "
                    + "calls", fanout.processes(), fanout.invocations(), fanout.processes() / fanout.invocations(),
                    fanout.invocations()), String.format("all `Terminated` in DescribeInvocations after %.2f s "
                    + "(on invocation-state after %.2f s)", fanout.stopSeconds(), fanout.stateSeconds()),
                    "≤ 3 s", fanout.stopSeconds() <= 3);
        }
        if (stateWrites != null) {
            row(md, String.format("(state-writes) Bytes a %d-target invocation run to the end writes ÷ its final "
                    + "state's %,d B", stateWrites.targets(), stateWrites.finalStateBytes()),
                    String.format("%.2f× on invocation-state, %.2f× on the dispatcher's changelogs",
                            stateWrites.stateAmplification(), stateWrites.changelogAmplification()), "≤ 3× each",
                    stateWrites.stateAmplification() <= 3 && stateWrites.changelogAmplification() <= 3);
        }
        if (recovery != null) {
            row(md, String.format("(5) Restarted dispatcher (SIGKILL, store restored), %,d invocations in the log",
                    recovery.invocations()), String.format("folding again after %s s (healthy after %s s)",
                    f(recovery.dispatcherSeconds()), f(recovery.dispatcherHealthySeconds())), "≤ 60 s",
                    recovery.dispatcherSeconds() <= 60);
            row(md, String.format("(5) Restarted api-service (SIGKILL), %,d invocations", recovery.invocations()),
                    String.format("answering right after %s s (healthy after %s s)", f(recovery.apiSeconds()),
                            f(recovery.apiHealthySeconds())), "≤ 60 s", recovery.apiSeconds() <= 60);
            row(md, "(5) api-service heap after loading them (after a full GC)",
                    recovery.heapMb() == null ? "unknown" : String.format("%.0f MB", recovery.heapMb()), "≤ 1 GB",
                    recovery.heapMb() != null && recovery.heapMb() <= 1024);
        }
        if (hostile != null) {
            Histogram h = hostile.honest();
            row(md, String.format("(6) Honest calls at %.0f/s beside %d abusive connections, %,d invocations of %,d "
                    + "accounts in the view", HostileBench.HONEST_RATE, HostileBench.ABUSERS, hostile.invocations(),
                    hostile.accounts()), percentiles(h), "p99 ≤ 50 ms",
                    Latency.ms(h, 99) <= HostileBench.P99_TARGET_MS);
            row(md, "(6) Honest calls answered 5xx", Long.toString(hostile.honest5xx()), "0", hostile.honest5xx() == 0);
            if (hostile.honestNotSent() > 0) {
                row(md, "(6) Honest calls not even sent 60 s after the last was due (not in the latencies)",
                        Long.toString(hostile.honestNotSent()), "", null);
            }
            Double ratio = hostile.heapRatio();
            row(md, "(6) api-service heap after the load and a GC / before", ratio == null ? "unknown"
                    : String.format("%.2f× (%.0f → %.0f MB)", ratio, hostile.heapBeforeMb(), hostile.heapAfterMb()),
                    "≤ 1.2×", ratio != null && ratio <= HostileBench.HEAP_RATIO_TARGET);
            HostileBench.Retention r = hostile.retention();
            if (r != null) {
                row(md, String.format("(6) api-service heap, retention %d s, %.0f RunCommand/s for %d s, once the "
                        + "window is full", r.retentionSeconds(), r.rate(), r.runSeconds()), r.heapMb() == null
                        ? "unknown" : String.format("%.0f MB (slope %s MB/min; 1 h retention extrapolated: %s MB)",
                        r.heapMb(), f(r.slopeMbPerMinute() == null ? Double.NaN : r.slopeMbPerMinute()),
                        r.extrapolatedOneHourMb() == null ? "-" : String.format("%.0f", r.extrapolatedOneHourMb())),
                        "flat", r.flat());
            }
        }
        if (fleet != null) {
            fleetRows(md, fleet);
        }
        if (raw != null || e2e != null) { // the phases that draw latency.png
            md.append("\n![latency distribution](latency.png)\n");
        }
        md.append('\n');
        md.append("How each number is taken: see docs/performance.md and `bench/` "
                + "(`bin/stopplane bench --help`). Raw data: `results.json`.\n");
        if (!failures.isEmpty()) {
            md.append("\nPhases that failed: ").append(failures).append('\n');
        }
        return md.toString();
    }

    private static void fleetRows(StringBuilder md, FleetBench.Result f) {
        Map<String, Boolean> met = fleetTargets(f);
        row(md, String.format("(7) Simulated agents on one agent-gateway (registered in %.0f s, connected in %.0f s)",
                f.registerSeconds(), f.connectSeconds()), String.format("%,d", f.agents()), "10,000",
                met.get("fleet_10000_agents"));
        row(md, "(7) gateway heap after a full GC, all connected", f.heapMb() == null ? "unknown"
                : String.format("%.0f MB", f.heapMb()), "≤ 1 GB", met.get("fleet_gateway_heap_le_1gb"));
        row(md, String.format("(7) gateway CPU, idle %.0f s with all connected", f.idleSeconds()),
                String.format("%.3f cores", f.idleCpuCores()), "≤ 0.1 core", met.get("fleet_gateway_idle_cpu_le_0_1_core"));
        row(md, String.format("(7) stop latency at %.0f/s over the fleet, StopInvocation → `Terminated` (n=%d)",
                FleetBench.STOP_RATE, f.stopLatency().getTotalCount()), percentiles(f.stopLatency()),
                "p50 ≤ 15 ms, p99 ≤ 50 ms", met.get("fleet_stop_p50_le_15ms") && met.get("fleet_stop_p99_le_50ms"));
        FleetBench.Reconnect r = f.reconnect();
        if (r != null) {
            row(md, String.format("(7) gateway SIGKILLed and restarted: all agents back and the %d stops issued "
                    + "meanwhile landed", r.stops()), (Double.isNaN(r.fromRestartSeconds())
                    ? String.format("not in the time allowed: %,d of %,d agents back", r.connectedAgain(), f.agents())
                    : String.format("%s s after the restart", f(r.fromRestartSeconds())))
                    + String.format(" (gateway healthy after %s s), %d lost, %d waiting for their agent",
                    f(r.gatewayHealthySeconds()), r.lost(), r.away()),
                    "≤ 30 s, 0 lost", met.get("fleet_reconnect_all_le_30s") && met.get("fleet_0_stops_lost"));
        }
        row(md, "(7) broker connections of the gateway (all clients of the broker)", String.format("%d (%d) with "
                + "the fleet, %d (%d) without", f.kafkaWithFleet().gateway(), f.kafkaWithFleet().total(),
                f.kafkaBefore().gateway(), f.kafkaBefore().total()), "constant", null);
    }

    private static void row(StringBuilder md, String what, String result, String target, Boolean met) {
        md.append("| ").append(what).append(" | ").append(result).append(" | ").append(target).append(" | ")
                .append(met == null ? "" : met ? "met" : "**missed**").append(" |\n");
    }

    private static String percentiles(Histogram h) {
        return String.format("p50 %s, p90 %s, p99 %s, max %s ms", f(Latency.ms(h, 50)), f(Latency.ms(h, 90)),
                f(Latency.ms(h, 99)), f(Latency.maxMs(h)));
    }

    private static String p50p99(Histogram h) {
        return String.format("p50 %s, p99 %s ms", f(Latency.ms(h, 50)), f(Latency.ms(h, 99)));
    }

    private static String f(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 100 ? String.format("%.0f", v) : v >= 10 ? String.format("%.1f", v) : String.format("%.2f", v);
    }

    // ---- files ---------------------------------------------------------------------------------------------------

    void write() throws IOException {
        loadAtEnd = Progress.loadAverage();
        Path out = config.out();
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.json"),
                StopPlaneJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json()) + "\n");
        Files.writeString(out.resolve("results.md"), markdown());
        List<LatencyPlot.Series> series = new ArrayList<>();
        if (e2e != null) {
            series.add(new LatencyPlot.Series("stop path: StopInvocation → Terminated", e2e.e2e(),
                    new Color(200, 40, 40)));
        }
        Color[] lighter = {new Color(240, 150, 40), new Color(150, 60, 170), new Color(40, 150, 90)};
        for (int i = 0; i < e2eByRate.size(); i++) {
            E2eStopBench.Result r = e2eByRate.get(i);
            series.add(new LatencyPlot.Series(String.format("stop path at %.0f/s", r.ratePerSecond()), r.e2e(),
                    lighter[i % lighter.length]));
        }
        if (raw != null) {
            series.add(new LatencyPlot.Series("raw Kafka chain, 3 hops", raw.chain(), new Color(30, 90, 200)));
        }
        if (e2e != null) {
            series.add(new LatencyPlot.Series("StopInvocation response", e2e.stopResponse(), new Color(120, 120, 120)));
        }
        if (!series.isEmpty()) {
            double rate = e2e != null ? e2e.ratePerSecond() : raw.ratePerSecond();
            LatencyPlot.write(out.resolve("latency.png"),
                    String.format("StopPlane stop latency at %.0f stops/s vs the raw Kafka chain", rate),
                    String.format("%s UTC, %s cores, load average %s → %s; %s run", started.substring(0, 16)
                            .replace('T', ' '), Runtime.getRuntime().availableProcessors(), loadAtStart, loadAtEnd,
                            config.quick() ? "quick" : "full"), series);
        }
    }
}
