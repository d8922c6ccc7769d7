package io.stopplane.model.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed, validated {@code Frequency}: when a scheduled invocation runs. Alibaba's three forms are
 * {@link Rate} ({@code rate(5m)}), {@link At} ({@code at(2026-12-24 13:15:30 Asia/Shanghai)}) and {@link Cron}
 * ({@code 0 15 10 ? * * 2026 Asia/Shanghai}).
 */
public sealed interface Frequency permits Rate, At, Cron {

    /**
     * The first run strictly after {@code after}, for an invocation created at {@code createdAt} (a rate counts its
     * intervals from creation); empty once the schedule has run out.
     */
    Optional<Instant> next(Instant createdAt, Instant after);

    /** True when no run is left after {@code now}: an {@code at} in the past, a cron whose last year is over. */
    default boolean exhausted(Instant createdAt, Instant now) {
        return next(createdAt, now).isEmpty();
    }

    /** The text as the caller sent it, for DescribeInvocations' {@code Frequency}. */
    String text();

    /**
     * Parses and validates {@code text} against Alibaba's limits for a command whose {@code Timeout} is
     * {@code timeout}; {@code now} is only where the minimum gap of a cron is measured from.
     *
     * @throws InvalidFrequencyException saying what is wrong
     */
    static Frequency parse(String text, Duration timeout, FrequencyLimits limits, Instant now) {
        Objects.requireNonNull(text, "Frequency");
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidFrequencyException("It is empty.");
        }
        if (trimmed.startsWith("rate")) {
            return Rate.parse(trimmed, timeout, limits);
        }
        if (trimmed.startsWith("at")) {
            return At.parse(trimmed);
        }
        return Cron.parse(trimmed, timeout, limits, now);
    }

    /**
     * Reads a Frequency that {@link #parse} accepted when its invocation was created, without checking the limits
     * again (they are the API's, and may have changed since): what the dispatcher fires runs from.
     *
     * @param instanceZone the zone of a cron without one, as the API resolved it
     */
    static Frequency read(String text, ZoneId instanceZone) {
        String trimmed = text.strip();
        if (trimmed.startsWith("rate")) {
            return Rate.read(trimmed);
        }
        if (trimmed.startsWith("at")) {
            return At.parse(trimmed);
        }
        return Cron.read(trimmed, instanceZone);
    }
}
