package io.stopplane.model.schedule;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The day-of-month and day-of-week fields together, since they decide one thing: whether a date runs. Day of month
 * takes {@code ?}, {@code *}, lists, ranges and steps of 1-31; day of week the same of 1-7 or MON-SUN (1 = Monday,
 * 7 = Sunday, as Alibaba documents for Cloud Assistant). {@code L}, {@code W} and {@code #} are refused: the
 * reference does not document them. When both are restricted, a date runs if either matches (Vixie cron's rule; Quartz refuses the combination).
 */
record CronDays(Predicate<LocalDate> dayOfMonth, boolean monthUnrestricted,
                Predicate<LocalDate> dayOfWeek, boolean weekUnrestricted) {

    private static final List<String> DAY_NAMES = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");

    boolean matches(LocalDate date) {
        if (monthUnrestricted) {
            return dayOfWeek.test(date);
        }
        if (weekUnrestricted) {
            return dayOfMonth.test(date);
        }
        return dayOfMonth.test(date) || dayOfWeek.test(date);
    }

    static CronDays parse(String dom, String dow) {
        boolean domAny = dom.equals("?") || dom.equals("*");
        boolean dowAny = dow.equals("?") || dow.equals("*");
        return new CronDays(domAny ? d -> true : dayOfMonth(dom), domAny, dowAny ? d -> true : dayOfWeek(dow), dowAny);
    }

    private static Predicate<LocalDate> dayOfMonth(String text) {
        refuseQuartzExtensions(text, "day-of-month");
        CronField field = CronField.parse(text, "day-of-month", 1, 31, List.of());
        return d -> field.matches(d.getDayOfMonth());
    }

    private static Predicate<LocalDate> dayOfWeek(String text) {
        refuseQuartzExtensions(text, "day-of-week");
        CronField field = CronField.parse(text, "day-of-week", 1, 7, DAY_NAMES);
        return d -> field.matches(d.getDayOfWeek().getValue());
    }

    /** The reference documents no {@code L}, {@code W} or {@code #}: refused by name rather than as "not a value". */
    private static void refuseQuartzExtensions(String text, String name) {
        String upper = text.toUpperCase(Locale.ROOT);
        if (upper.equals("L") || upper.endsWith("L") || upper.endsWith("W") || upper.contains("#")
                || upper.contains("?")) {
            throw CronField.invalid(name, "\"" + text + "\" uses ?, L, W or # in a list; only a bare ? is "
                    + "supported, and L, W and # not at all");
        }
    }
}
