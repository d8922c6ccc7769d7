package io.stopplane.model.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code at(yyyy-MM-dd HH:mm:ss[ zone])}: one run at that time, in UTC when no zone is named. */
public record At(String text, Instant at) implements Frequency {

    private static final Pattern FORM =
            Pattern.compile("at\\s*\\(\\s*(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})(?:\\s+(\\S+))?\\s*\\)");
    private static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);

    static At parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new InvalidFrequencyException(
                    "An at must look like at(2026-12-24 13:15:30 Asia/Shanghai); the zone is optional (UTC).");
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(m.group(1), LOCAL);
        } catch (DateTimeParseException e) {
            throw new InvalidFrequencyException("The time of the at is not a real date and time: " + m.group(1) + ".");
        }
        ZoneId zone = m.group(2) == null ? ZoneOffset.UTC : Zones.require(m.group(2));
        return new At(text, local.atZone(zone).toInstant());
    }

    @Override
    public Optional<Instant> next(Instant createdAt, Instant after) {
        return at.isAfter(after) ? Optional.of(at) : Optional.empty();
    }
}
