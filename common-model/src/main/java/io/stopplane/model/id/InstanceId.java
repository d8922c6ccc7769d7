package io.stopplane.model.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.regex.Pattern;

/** An instance id, {@code i-} followed by letters, digits, or dashes (as ECS and managed instances use). */
public record InstanceId(@JsonValue String value) {

    private static final Pattern FORMAT = Pattern.compile("(i|mi)-[A-Za-z0-9-]{1,64}");

    public InstanceId {
        Objects.requireNonNull(value, "InstanceId");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("InstanceId must look like i-<letters and digits>: " + value);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static InstanceId of(String value) {
        return new InstanceId(value);
    }

    public static boolean isValid(String value) {
        return value != null && FORMAT.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
