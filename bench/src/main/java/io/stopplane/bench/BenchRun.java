package io.stopplane.bench;

/** Runs the phases in order and writes what they found; a phase that fails is recorded and the others still run. */
final class BenchRun {

    private final BenchConfig config;
    private final Progress progress;

    BenchRun(BenchConfig config, Progress progress) {
        this.config = config;
        this.progress = progress;
    }

    interface Phase {
        void run() throws Exception;
    }

    int run() throws Exception {
        Results results = new Results(config);
        long t0 = System.nanoTime();
        try (BenchContext ctx = new BenchContext(config, progress)) {
            current = ctx;
            phase(results, "e2e", () -> {
                // The services' JIT compilers and caches are cold in a fresh stack (profiled: C2 compilation was
                // 40-60% of each JVM's CPU in the first stop phase): the same work first, uncounted, at a gentle rate
                // and then at the measured one.
                progress.say("(1) warm-up: the stop path, not counted");
                new E2eStopBench(ctx).run(50, config.quick() ? 2 : 4, 0);
                if (!config.quick()) {
                    for (int round = 0; round < 2; round++) {
                        new E2eStopBench(ctx).run(config.stopRate(), 4, 0);
                    }
                }
                for (double rate : config.extraStopRates()) {
                    results.e2eByRate.add(new E2eStopBench(ctx).run(rate, 2, 10));
                }
                results.e2e = new E2eStopBench(ctx).run();
            });
            phase(results, "raw", () -> results.raw = new RawChainBench(ctx).run());
            phase(results, "throughput", () -> results.throughput = new ThroughputBench(ctx).run());
            phase(results, "fanout", () -> results.fanout = new FanoutBench(ctx).run());
            phase(results, "state-writes", () -> results.stateWrites = new StateWritesBench(ctx).run());
            phase(results, "recovery", () -> results.recovery = new RecoveryBench(ctx).run());
            phase(results, "fleet", () -> results.fleet = new FleetBench(ctx).run());
            phase(results, "hostile", () -> results.hostile = new HostileBench(ctx).run());
        }
        results.write();
        progress.say(String.format("done in %.0f s: %s", (System.nanoTime() - t0) / 1e9,
                config.out().resolve("results.md")));
        System.out.print(results.markdown());
        return results.failures.isEmpty() ? 0 : 1;
    }

    private BenchContext current;

    private void phase(Results results, String name, Phase phase) {
        if (!config.runs(name)) {
            return;
        }
        if (current != null) {
            current.settle(120);
        }
        try {
            phase.run();
        } catch (Exception e) {
            progress.say("phase " + name + " failed: " + e);
            results.failures.put(name, e.toString());
        }
        results.loadByPhase.put(name, Progress.loadAverage());
    }
}
