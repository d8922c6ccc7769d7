package io.stopplane.model.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * {@code <second> <minute> <hour> <day-of-month> <month> <day-of-week> [<year>] [<zone>]}: Alibaba's cron (6, 7 or 8
 * fields, as its agent accepts). A 7th field is the year when it looks like one, else the zone; without a zone the
 * instance's zone applies ({@link FrequencyLimits#instanceZone}). Years run to 2099; a cron whose years are all past
 * is accepted and has run out at once. Daylight saving: see {@link #occurrence}.
 */
public record Cron(String text, CronField seconds, CronField minutes, CronField hours, CronDays days, CronField months,
                   CronField years, ZoneId zone) implements Frequency {

    static final int LAST_YEAR = 2099;
    private static final Instant END = Instant.parse("2100-01-02T00:00:00Z");
    private static final List<String> MONTH_NAMES =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    /** How many runs from creation the minimum gap is checked over: enough for every pattern of a day, a week, a year. */
    private static final int GAP_SAMPLE = 1000;

    static Cron parse(String text, Duration timeout, FrequencyLimits limits, Instant now) {
        Cron cron = read(text, limits.instanceZone());
        cron.checkGaps(timeout, limits, now);
        return cron;
    }

    /** The fields alone, without the minimum gap: for a cron accepted before (see {@link Frequency#read}). */
    static Cron read(String text, ZoneId instanceZone) {
        String[] f = text.split("\\s+");
        if (f.length < 6 || f.length > 8) {
            throw new InvalidFrequencyException("A cron needs 6 to 8 fields (second minute hour day-of-month month "
                    + "day-of-week [year] [time zone]); this one has " + f.length + ".");
        }
        String year = "*";
        ZoneId zone = instanceZone;
        if (f.length == 8) {
            year = f[6];
            zone = Zones.require(f[7]);
        } else if (f.length == 7 && f[6].matches("[0-9*,/-]+")) {
            year = f[6];
        } else if (f.length == 7) {
            zone = Zones.require(f[6]);
        }
        return new Cron(text,
                CronField.parse(f[0], "second", 0, 59, List.of()),
                CronField.parse(f[1], "minute", 0, 59, List.of()),
                CronField.parse(f[2], "hour", 0, 23, List.of()),
                CronDays.parse(f[3], f[5]),
                CronField.parse(f[4], "month", 1, 12, MONTH_NAMES),
                CronField.parse(year, "year", 1970, LAST_YEAR, List.of()),
                zone);
    }

    /**
     * Alibaba: runs "10 seconds or more" apart and "cannot be shorter than the timeout". Measured on the first runs
     * after {@code now}; a cron that can never run (30 February) is refused here too, one whose years are past is not.
     */
    private void checkGaps(Duration timeout, FrequencyLimits limits, Instant now) {
        Duration min = timeout.compareTo(limits.minCronGap()) > 0 ? timeout : limits.minCronGap();
        Optional<Instant> previous = next(now, now);
        if (previous.isEmpty()) {
            int thisYear = now.atZone(zone).getYear();
            if (years.allowed().nextSetBit(thisYear) >= 0) {
                throw new InvalidFrequencyException("The cron never runs: no date matches it.");
            }
            return;
        }
        for (int i = 1; i < GAP_SAMPLE; i++) {
            Optional<Instant> next = next(now, previous.get());
            if (next.isEmpty()) {
                return;
            }
            Duration gap = Duration.between(previous.get(), next.get());
            if (gap.compareTo(min) < 0) {
                throw new InvalidFrequencyException("Two runs of the cron are " + gap.toSeconds() + " s apart; runs "
                        + "must be at least " + limits.minCronGap().toSeconds() + " s apart and not closer than the "
                        + "Timeout (" + timeout.toSeconds() + " s).");
            }
            previous = next;
        }
    }

    @Override
    public Optional<Instant> next(Instant createdAt, Instant after) {
        if (after.isAfter(END)) {
            return Optional.empty();
        }
        LocalDateTime t = scanStart(after.isBefore(Instant.EPOCH) ? Instant.EPOCH : after);
        while (t.getYear() <= LAST_YEAR) {
            if (!years.matches(t.getYear())) {
                int year = years.allowed().nextSetBit(t.getYear() + 1);
                if (year < 0) {
                    return Optional.empty();
                }
                t = LocalDate.of(year, 1, 1).atStartOfDay();
            } else if (!months.matches(t.getMonthValue())) {
                t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
            } else if (!days.matches(t.toLocalDate())) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
            } else if (!hours.matches(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.matches(t.getMinute())) {
                t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            } else if (!seconds.matches(t.getSecond())) {
                int second = seconds.allowed().nextSetBit(t.getSecond());
                t = second < 0 ? t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1) : t.withSecond(second);
            } else {
                Optional<Instant> at = occurrence(t, after);
                if (at.isPresent()) {
                    return at;
                }
                t = t.plusSeconds(1);
            }
        }
        return Optional.empty();
    }

    /**
     * Where to start reading local times: the local time of {@code after}, or, inside an hour that a daylight-saving
     * change repeats, the start of that hour, so that its second pass is not missed.
     */
    private LocalDateTime scanStart(Instant after) {
        LocalDateTime local = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.SECONDS);
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        return transition != null && transition.isOverlap() ? transition.getDateTimeAfter() : local;
    }

    /**
     * The instant of the local time {@code t} that is after {@code after}: none in a gap (as Quartz, a time the clock
     * jumps over does not run); in a repeated hour the first pass, and the second too only when the hour field is
     * {@code *} (an every-minute cron keeps running, a 01:30 job runs once).
     */
    private Optional<Instant> occurrence(LocalDateTime t, Instant after) {
        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(t);
        List<Instant> instants = offsets.stream().map(t::toInstant).sorted().toList();
        int passes = hours.isAny(23) ? instants.size() : Math.min(1, instants.size());
        return instants.stream().limit(passes).filter(i -> i.isAfter(after)).findFirst();
    }
}
