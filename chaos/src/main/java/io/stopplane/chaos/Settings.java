package io.stopplane.chaos;

import java.time.Duration;

/**
 * How hard one run pushes. Small on purpose: the suite runs on a two-core machine next to other work.
 *
 * @param workers concurrent RunCommand clients
 * @param pace each worker's pause between two RunCommands
 * @param warmUp load before the first fault
 * @param outage how long a killed part stays down before it is started again
 * @param afterHeal load after the last part is back
 * @param cycles how many times the fault is injected in one run
 * @param retryFor how long clients keep retrying what is still unanswered once the load stops
 * @param converge how long every invocation gets to reach its final state once the faults are healed
 * @param burners CPU burners beside the stack ({@code --busy}, {@link Burners}); 0: the machine as it is
 */
record Settings(String mode, int workers, Duration pace, Duration warmUp, Duration outage, Duration afterHeal,
        int cycles, Duration retryFor, Duration converge, int burners) {

    static Settings quick() {
        return new Settings("quick", 2, Duration.ofMillis(700), Duration.ofSeconds(5), Duration.ofSeconds(6),
                Duration.ofSeconds(6), 1, Duration.ofSeconds(90), Duration.ofSeconds(120), 0);
    }

    static Settings full() {
        return new Settings("full", 3, Duration.ofMillis(450), Duration.ofSeconds(8), Duration.ofSeconds(12),
                Duration.ofSeconds(12), 2, Duration.ofSeconds(120), Duration.ofSeconds(180), 0);
    }

    /** What {@code mvn verify} runs: the quick load, shorter still. */
    static Settings verify() {
        return new Settings("verify", 2, Duration.ofMillis(600), Duration.ofSeconds(3), Duration.ofSeconds(3),
                Duration.ofSeconds(3), 1, Duration.ofSeconds(60), Duration.ofSeconds(90), 0);
    }

    /** The same load with {@code count} CPU burners beside the stack. */
    Settings busy(int count) {
        return new Settings(mode, workers, pace, warmUp, outage, afterHeal, cycles, retryFor, converge, count);
    }

    /** The mode as the report shows it, with the machine's 1-minute load average when the fault was injected. */
    String describe(double loadAverage) {
        return mode + (burners > 0 ? ", busy (" + burners + " burners)" : "")
                + String.format(java.util.Locale.ROOT, "; load %.1f", loadAverage);
    }
}
