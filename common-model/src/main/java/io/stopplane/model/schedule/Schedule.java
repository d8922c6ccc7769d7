package io.stopplane.model.schedule;

import java.time.ZoneId;
import java.util.Objects;

/**
 * When a scheduled invocation ({@code RepeatMode} Period) runs, as its events and state carry it: the
 * {@code Frequency} as the caller wrote it (DescribeInvocations shows it so) and the zone a cron without one runs in,
 * fixed when the API accepted it so that every later reader fires the same runs.
 */
public record Schedule(String frequency, String zone) {

    public Schedule {
        Objects.requireNonNull(frequency, "frequency");
        Objects.requireNonNull(zone, "zone");
    }

    /** The schedule of a Frequency the API accepted under {@code limits}. */
    public static Schedule of(Frequency accepted, FrequencyLimits limits) {
        return new Schedule(accepted.text(), limits.instanceZone().getId());
    }

    /** The parsed Frequency, without checking its limits again (see {@link Frequency#read}). */
    public Frequency parsed() {
        return Frequency.read(frequency, ZoneId.of(zone));
    }
}
