package io.stopplane.model.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code rate(<n><s|m|h|d>)}: every {@code interval}, the first run one interval after creation ("The task begins
 * to be executed 5 minutes after it is created"). Whitespace as the agent's own pattern allows it.
 */
public record Rate(String text, Duration interval) implements Frequency {

    private static final Pattern FORM = Pattern.compile("rate\\s*\\(\\s*(\\d{1,9})\\s*([smhd])\\s*\\)");

    static Rate parse(String text, Duration timeout, FrequencyLimits limits) {
        Rate rate = read(text);
        Duration interval = rate.interval();
        if (interval.compareTo(limits.minRate()) < 0 || interval.compareTo(limits.maxRate()) > 0) {
            throw new InvalidFrequencyException("The interval of a rate must be from " + limits.minRate().toSeconds()
                    + " seconds to " + limits.maxRate().toSeconds() + " seconds (7 days).");
        }
        if (interval.compareTo(timeout) <= 0) {
            throw new InvalidFrequencyException("The interval of a rate (" + interval.toSeconds()
                    + " s) must be longer than the Timeout (" + timeout.toSeconds() + " s).");
        }
        return rate;
    }

    /** The form alone, without the limits: for a rate accepted before (see {@link Frequency#read}). */
    static Rate read(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new InvalidFrequencyException("A rate must look like rate(5m): a whole number and one of s, m, h, d.");
        }
        long n = Long.parseLong(m.group(1));
        Duration interval = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        return new Rate(text, interval);
    }

    @Override
    public Optional<Instant> next(Instant createdAt, Instant after) {
        if (after.isBefore(createdAt)) {
            return Optional.of(createdAt.plus(interval));
        }
        long elapsed = Duration.between(createdAt, after).toMillis();
        long periods = elapsed / interval.toMillis() + 1;
        return Optional.of(createdAt.plus(interval.multipliedBy(periods)));
    }
}
