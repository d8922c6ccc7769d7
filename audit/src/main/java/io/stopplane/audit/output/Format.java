package io.stopplane.audit.output;

/** How a listing is printed: an aligned table for people, or one JSON object per line for {@code jq}. */
public enum Format {
    TABLE, JSON;

    public static Format of(String value) {
        for (Format f : values()) {
            if (f.name().equalsIgnoreCase(value)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--format must be table or json: " + value);
    }
}
