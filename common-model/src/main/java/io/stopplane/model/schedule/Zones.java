package io.stopplane.model.schedule;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time zones a Frequency may name: an IANA name ({@code Asia/Shanghai}), {@code UTC}, or {@code GMT+8:00} /
 * {@code GMT-3:30}, whose hour Alibaba forbids to have a leading zero ({@code GMT+08:00} is refused).
 */
final class Zones {

    private static final Pattern GMT = Pattern.compile("GMT([+-])([1-9]|1[0-4]|0):([0-5][0-9])");

    private Zones() {
    }

    /** The zone, or empty when the text is not one of the accepted forms. */
    static Optional<ZoneId> parse(String text) {
        if (text.equals("UTC")) {
            return Optional.of(ZoneOffset.UTC);
        }
        Matcher gmt = GMT.matcher(text);
        if (gmt.matches()) {
            int sign = gmt.group(1).equals("-") ? -1 : 1;
            int hours = Integer.parseInt(gmt.group(2));
            int minutes = Integer.parseInt(gmt.group(3));
            if (hours == 0 && minutes == 0) {
                return Optional.of(ZoneOffset.UTC);
            }
            return Optional.of(ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes));
        }
        return text.contains("/") && ZoneId.getAvailableZoneIds().contains(text)
                ? Optional.of(ZoneId.of(text)) : Optional.empty();
    }

    static ZoneId require(String text) {
        return parse(text).orElseThrow(() -> new InvalidFrequencyException("Unknown time zone \"" + text
                + "\": use an IANA name such as Asia/Shanghai, UTC, or GMT+8:00 (no leading zero on the hour)."));
    }
}
