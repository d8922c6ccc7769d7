package io.stopplane.e2e;

import java.util.Set;
import java.util.function.Function;

/** Spring's {@code ${name:default}} placeholders, nested ones included ({@code ${A:${B}/x}}). */
final class Placeholders {

    private Placeholders() {
    }

    /** Adds the name of every placeholder in {@code text}, at any depth, to {@code names}. */
    static void names(String text, Set<String> names) {
        int start = text.indexOf("${");
        while (start >= 0) {
            int end = closing(text, start);
            String body = text.substring(start + 2, end);
            int colon = separator(body);
            names.add(colon < 0 ? body : body.substring(0, colon));
            if (colon >= 0) {
                names(body.substring(colon + 1), names);
            }
            start = text.indexOf("${", end + 1);
        }
    }

    /** {@code text} with each placeholder replaced by {@code lookup(name)}, else its default; fails without either. */
    static String resolve(String text, Function<String, String> lookup) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        int start = text.indexOf("${");
        while (start >= 0) {
            int end = closing(text, start);
            String body = text.substring(start + 2, end);
            int colon = separator(body);
            String name = colon < 0 ? body : body.substring(0, colon);
            String value = lookup.apply(name);
            if (value == null && colon < 0) {
                throw new IllegalArgumentException("${" + name + "} has no value and no default");
            }
            out.append(text, from, start).append(value != null ? value : resolve(body.substring(colon + 1), lookup));
            from = end + 1;
            start = text.indexOf("${", from);
        }
        return out.append(text.substring(from)).toString();
    }

    private static int closing(String text, int start) {
        int depth = 0;
        for (int i = start; i < text.length(); i++) {
            if (text.startsWith("${", i)) {
                depth++;
                i++;
            } else if (text.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed placeholder in: " + text);
    }

    /** The first ':' outside nested placeholders: name and default. */
    private static int separator(String body) {
        int depth = 0;
        for (int i = 0; i < body.length(); i++) {
            if (body.startsWith("${", i)) {
                depth++;
                i++;
            } else if (body.charAt(i) == '}') {
                depth--;
            } else if (body.charAt(i) == ':' && depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
