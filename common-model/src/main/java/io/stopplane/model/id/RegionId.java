package io.stopplane.model.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.regex.Pattern;

/** A region id such as {@code cn-hangzhou}. Whether it exists is the region catalogue's business, not this type's. */
public record RegionId(@JsonValue String value) {

    private static final Pattern FORMAT = Pattern.compile("[a-z]{2,}(-[a-z0-9]+)+");

    public RegionId {
        Objects.requireNonNull(value, "RegionId");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("RegionId must look like cn-hangzhou: " + value);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RegionId of(String value) {
        return new RegionId(value);
    }

    public static boolean isValid(String value) {
        return value != null && FORMAT.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
