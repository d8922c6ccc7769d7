package io.stopplane.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --since} and {@code --until}: an instant ({@code 2026-11-27T09:15:55Z}, with an offset, or without one for
 * UTC), a day ({@code 2026-11-27}, UTC midnight), or an age before now ({@code 30s}, {@code 15m}, {@code 2h},
 * {@code 7d}).
 */
final class Times {

    private static final Pattern AGE = Pattern.compile("(\\d+)([smhd])");

    private Times() {
    }

    static Instant parse(String option, String value, Clock clock) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        Matcher age = AGE.matcher(v);
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            Duration d = switch (age.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return clock.instant().minus(d);
        }
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (v.endsWith("Z") || v.endsWith("z")) {
                return Instant.parse(v.toUpperCase());
            }
            if (v.matches(".*[+-]\\d\\d:?\\d\\d$") && v.indexOf('T') > 0) {
                return OffsetDateTime.parse(v).toInstant();
            }
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--" + option + " '" + value
                    + "' is not a time: use 2026-11-27T09:15:55Z, 2026-11-27, or an age such as 15m, 2h, 7d");
        }
    }
}
