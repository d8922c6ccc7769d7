package io.stopplane.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What to measure and how long. {@code --quick} keeps every measurement but shortens it (about three minutes on a 2-core
 * machine, stack start included, a little more with a fresh clone's build); the full run takes about ten. The stop-latency phase needs
 * one running invocation per stop, started beforehand: (warm-up + measured seconds) x rate of them, which is what
 * bounds its length (a start costs the agent several process spawns; it starts some tens per second here). The fleet
 * phase (7) adds its own: registering and connecting the fleet (1,000 agents with {@code --quick}, 10,000 without) at
 * some tens per second here, and a restarted gateway's reconnect.
 */
record BenchConfig(
        boolean quick,
        Path out,
        URI target,
        String bootstrap,
        String accessKeyId,
        String accessKeySecret,
        // the credentials file the key comes from (null: no-auth mode); (6) adds accounts to it for a while
        Path credentials,
        String accountId,
        List<String> instances,
        Path launcher,
        Path pidsDir,
        Set<String> phases,
        // (1) and (2)
        double stopRate,
        List<Double> extraStopRates,
        int warmupSeconds,
        int measureSeconds,
        int maxStartsInFlight,
        int apiSampleEvery,
        // (3)
        double throughputStartRate,
        double throughputFactor,
        int stepWarmupSeconds,
        int stepSeconds,
        int ghostInvocations,
        int rawProducerSeconds,
        // (4)
        int fanoutInvocations,
        int fanoutInstances,
        // (5)
        int recoveryInvocations,
        // (6) hostile
        int hostileInvocations,
        int hostileWarmupSeconds,
        int hostileSeconds,
        int retentionSeconds,
        int retentionRunSeconds,
        // (7) fleet: the gateway's base URL (null: not known, against another stack), simulated agents, how long
        // the gateway idles with all of them connected, seconds of stops at 100/s, and of stops while it is away
        URI gateway,
        int fleetAgents,
        int fleetIdleSeconds,
        int fleetStopSeconds,
        int fleetReconnectStopSeconds) {

    static final List<String> ALL_PHASES = List.of("e2e", "raw", "throughput", "fanout", "state-writes", "recovery",
            "fleet",
            "hostile");
    /**
     * What runs without {@code --phases}: all but (6), which takes a quarter of an hour more, rewrites the credentials
     * file and restarts the dispatcher with a short retention.
     */
    static final List<String> DEFAULT_PHASES = ALL_PHASES.subList(0, ALL_PHASES.size() - 1);

    static BenchConfig of(boolean quick, Path out, URI target, String bootstrap, String keyId, String secret,
            Path credentials, String accountId, List<String> instances, Path launcher, Path pidsDir, Set<String> phases,
            Integer recoveryOverride) {
        int recovery = recoveryOverride != null ? recoveryOverride : quick ? 100_000 : 1_000_000;
        if (quick) {
            return new BenchConfig(true, out, target, bootstrap, keyId, secret, credentials, accountId, instances,
                    launcher, pidsDir, phases,
                    200, List.of(), 1, 2, 150, 20,
                    1000, 1.6, 1, 2, 500, 2,
                    10, 100,
                    recovery,
                    100_000, 10, 30, 60, 180,
                null, 1000, 20, 6, 3);
        }
        return new BenchConfig(false, out, target, bootstrap, keyId, secret, credentials, accountId, instances,
                launcher, pidsDir, phases,
                200, List.of(50.0, 100.0), 1, 6, 150, 20,
                400, 1.25, 3, 10, 500, 10,
                10, 100,
                recovery,
                1_000_000, 10, 60, 120, 360,
                null, 10_000, 60, 20, 10);
    }

    /** The same with {@code rate} stops per second in (1) and (2), and no other rates. */
    BenchConfig withStopRate(double rate) {
        return new BenchConfig(quick, out, target, bootstrap, accessKeyId, accessKeySecret, credentials, accountId,
                instances, launcher, pidsDir, phases, rate, List.of(), warmupSeconds, measureSeconds,
                maxStartsInFlight, apiSampleEvery, throughputStartRate, throughputFactor, stepWarmupSeconds, stepSeconds,
                ghostInvocations,
                rawProducerSeconds, fanoutInvocations, fanoutInstances, recoveryInvocations, hostileInvocations,
                hostileWarmupSeconds, hostileSeconds, retentionSeconds, retentionRunSeconds, gateway, fleetAgents,
                fleetIdleSeconds, fleetStopSeconds, fleetReconnectStopSeconds);
    }

    /** The same with {@code n} invocations preloaded into the view in (6). */
    BenchConfig withHostileInvocations(int n) {
        return new BenchConfig(quick, out, target, bootstrap, accessKeyId, accessKeySecret, credentials, accountId,
                instances, launcher, pidsDir, phases, stopRate, extraStopRates, warmupSeconds, measureSeconds,
                maxStartsInFlight, apiSampleEvery, throughputStartRate, throughputFactor, stepWarmupSeconds, stepSeconds,
                ghostInvocations,
                rawProducerSeconds, fanoutInvocations, fanoutInstances, recoveryInvocations, n, hostileWarmupSeconds,
                hostileSeconds, retentionSeconds, retentionRunSeconds, gateway, fleetAgents, fleetIdleSeconds,
                fleetStopSeconds, fleetReconnectStopSeconds);
    }

    /** The same with the gateway at {@code url} and, if {@code agents} is not null, that many simulated agents in (7). */
    BenchConfig withFleet(URI url, Integer agents) {
        return new BenchConfig(quick, out, target, bootstrap, accessKeyId, accessKeySecret, credentials, accountId,
                instances, launcher, pidsDir, phases, stopRate, extraStopRates, warmupSeconds, measureSeconds,
                maxStartsInFlight, apiSampleEvery, throughputStartRate, throughputFactor, stepWarmupSeconds, stepSeconds,
                ghostInvocations,
                rawProducerSeconds, fanoutInvocations, fanoutInstances, recoveryInvocations, hostileInvocations,
                hostileWarmupSeconds, hostileSeconds, retentionSeconds, retentionRunSeconds, url,
                agents == null ? fleetAgents : agents, fleetIdleSeconds, fleetStopSeconds, fleetReconnectStopSeconds);
    }

    boolean runs(String phase) {
        return phases.contains(phase);
    }
}
