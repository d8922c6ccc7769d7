package io.stopplane.model.schedule;

import java.time.Instant;
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
 * @param revision how many {@code ModifyInvocationAttribute} calls the dispatcher folded into it (0 as created; a
 *     schedule written before modifications has none: 0). A timer is armed for one revision and fires nothing once
 *     the schedule has another
 * @param since when its Frequency took effect: null as created (the invocation's creation time then counts), the time
 *     of the modification that last changed the Frequency after one: a rate's runs count from it
 */
public record Schedule(String frequency, String zone, RepeatMode mode, Integer revision, Instant since) {

    public Schedule {
        Objects.requireNonNull(frequency, "frequency");
        Objects.requireNonNull(zone, "zone");
        mode = mode == null ? RepeatMode.PERIOD : mode;
        revision = revision == null ? 0 : revision;
        if (revision < 0) {
            throw new IllegalArgumentException("a revision is not negative: " + revision);
        }
        if (mode != RepeatMode.PERIOD && !mode.onReboot()) {
            throw new IllegalArgumentException("a schedule is Period, NextRebootOnly or EveryReboot: " + mode);
        }
    }

    public Schedule(String frequency, String zone, RepeatMode mode) {
        this(frequency, zone, mode, 0, null);
    }

    public Schedule(String frequency, String zone) {
        this(frequency, zone, RepeatMode.PERIOD);
    }

    /**
     * This schedule as modification {@code revision} left it at {@code at}: with {@code frequency} (and the zone a
     * cron without one runs in) when the modification gave one, counted from {@code at}; else the same Frequency.
     */
    public Schedule modified(String newFrequency, String newZone, int newRevision, Instant at) {
        if (newFrequency == null) {
            return new Schedule(frequency, zone, mode, newRevision, since);
        }
        return new Schedule(newFrequency, newZone == null ? zone : newZone, mode, newRevision, at);
    }

    /** When its Frequency's runs count from: since the modification that set it, else since {@code created}. */
    public Instant origin(Instant created) {
        return since == null ? created : since;
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
