package io.stopplane.model.schedule;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The limits a Frequency is checked against, and the zone of a cron without one. Alibaba's are {@link #alibaba};
 * tests may lower the minimum intervals (never production: the issue allows it "by configuration in tests only").
 *
 * @param minRate      the shortest {@code rate(…)} (Alibaba: 60 s)
 * @param maxRate      the longest {@code rate(…)} (Alibaba: 7 days)
 * @param minCronGap   the shortest gap between two cron runs (Alibaba: 10 s)
 * @param instanceZone the zone of a cron without one: Alibaba uses "the system time zone of the instance", which the
 *                     control plane does not know, so it is a setting (default UTC)
 */
public record FrequencyLimits(Duration minRate, Duration maxRate, Duration minCronGap, ZoneId instanceZone) {

    public FrequencyLimits {
        Objects.requireNonNull(minRate, "minRate");
        Objects.requireNonNull(maxRate, "maxRate");
        Objects.requireNonNull(minCronGap, "minCronGap");
        Objects.requireNonNull(instanceZone, "instanceZone");
        if (minRate.isNegative() || maxRate.compareTo(minRate) < 0 || minCronGap.isNegative()) {
            throw new IllegalArgumentException("FrequencyLimits: need 0 <= minRate <= maxRate and minCronGap >= 0");
        }
    }

    public static FrequencyLimits alibaba(ZoneId instanceZone) {
        return new FrequencyLimits(Duration.ofSeconds(60), Duration.ofDays(7), Duration.ofSeconds(10), instanceZone);
    }

    public static final FrequencyLimits ALIBABA_UTC = alibaba(ZoneId.of("UTC"));
}
