package io.stopplane.model.schedule;

import java.time.ZoneId;
import java.util.Objects;

/**
 * When a scheduled invocation runs, as its events and state carry it: for {@code RepeatMode} Period, the
 * {@code Frequency} as the caller wrote it (DescribeInvocations shows it so) and the zone a cron without one runs in,
 * fixed when the API accepted it so that every later reader fires the same runs; for {@code NextRebootOnly} and
 * {@code EveryReboot}, no Frequency ({@code ""}, as DescribeInvocations shows it) and {@code mode} saying so: those run
 * when the instance's boot id changes (docs/schedules.md).
 *
 * @param mode Period, NextRebootOnly or EveryReboot; a schedule written before the reboot modes has none: Period
 */
public record Schedule(String frequency, String zone, RepeatMode mode) {

    public Schedule {
        Objects.requireNonNull(frequency, "frequency");
        Objects.requireNonNull(zone, "zone");
        mode = mode == null ? RepeatMode.PERIOD : mode;
        if (mode != RepeatMode.PERIOD && !mode.onReboot()) {
            throw new IllegalArgumentException("a schedule is Period, NextRebootOnly or EveryReboot: " + mode);
        }
    }

    public Schedule(String frequency, String zone) {
        this(frequency, zone, RepeatMode.PERIOD);
    }

    /** The schedule of a Frequency the API accepted under {@code limits}. */
    public static Schedule of(Frequency accepted, FrequencyLimits limits) {
        return new Schedule(accepted.text(), limits.instanceZone().getId());
    }

    /** The schedule of {@code NextRebootOnly} or {@code EveryReboot}: no Frequency, no zone to run in. */
    public static Schedule onReboot(RepeatMode mode) {
        if (!mode.onReboot()) {
            throw new IllegalArgumentException("not a reboot mode: " + mode);
        }
        return new Schedule("", "UTC", mode);
    }

    /** Whether it runs when the instance reboots, rather than on a Frequency. */
    public boolean onReboot() {
        return mode.onReboot();
    }

    /** The parsed Frequency, without checking its limits again (see {@link Frequency#read}); Period only. */
    public Frequency parsed() {
        if (onReboot()) {
            throw new IllegalStateException(mode.wireName() + " has no Frequency");
        }
        return Frequency.read(frequency, ZoneId.of(zone));
    }
}
