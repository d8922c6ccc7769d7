package io.stopplane.model.schedule;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * One numeric field of a cron (second, minute, hour, day of month, month, day of week, year): the set of values it
 * allows, from a comma-separated list of {@code *}, {@code n}, {@code a-b}, with an optional {@code /step}. Names
 * ({@code JAN}…, {@code MON}…) stand for their number; values are at most four digits.
 */
record CronField(String name, int min, BitSet allowed) {

    CronField {
        allowed = (BitSet) allowed.clone();
    }

    boolean matches(int value) {
        return value >= 0 && allowed.get(value);
    }

    /** Whether the field is a bare {@code *}-equivalent: every value allowed. */
    boolean isAny(int max) {
        return allowed.nextClearBit(min) > max;
    }

    static CronField parse(String text, String name, int min, int max, List<String> names) {
        BitSet allowed = new BitSet(max + 1);
        for (String item : text.split(",", -1)) {
            addItem(item, name, min, max, names, allowed);
        }
        return new CronField(name, min, allowed);
    }

    private static void addItem(String item, String name, int min, int max, List<String> names, BitSet allowed) {
        String range = item;
        int step = 1;
        int slash = item.indexOf('/');
        if (slash >= 0) {
            range = item.substring(0, slash);
            step = value(item.substring(slash + 1), name, 1, max, List.of());
        }
        int from;
        int to;
        if (range.equals("*")) {
            from = min;
            to = max;
        } else if (range.indexOf('-') > 0) {
            int dash = range.indexOf('-');
            from = value(range.substring(0, dash), name, min, max, names);
            to = value(range.substring(dash + 1), name, min, max, names);
            if (from > to) {
                throw invalid(name, "the range " + range + " runs backwards");
            }
        } else {
            from = value(range, name, min, max, names);
            to = slash >= 0 ? max : from;
        }
        for (int v = from; v <= to; v += step) {
            allowed.set(v);
        }
    }

    static int value(String text, String name, int min, int max, List<String> names) {
        int named = names.indexOf(text.toUpperCase(Locale.ROOT));
        if (named >= 0) {
            return min + named;
        }
        if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(Character::isDigit)) {
            throw invalid(name, "\"" + text + "\" is not a value");
        }
        int v = Integer.parseInt(text);
        if (v < min || v > max) {
            throw invalid(name, v + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    static InvalidFrequencyException invalid(String field, String why) {
        return new InvalidFrequencyException("The " + field + " field of the cron is not valid: " + why + ".");
    }
}
