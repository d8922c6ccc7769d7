package io.stopplane.model.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** An invocation (command task) id, {@code t-} followed by letters and digits, as Alibaba issues them. */
public record InvokeId(@JsonValue String value) {

    private static final Pattern FORMAT = Pattern.compile("t-[A-Za-z0-9]{1,64}");

    public InvokeId {
        Objects.requireNonNull(value, "InvokeId");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("InvokeId must look like t-<letters and digits>: " + value);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static InvokeId of(String value) {
        return new InvokeId(value);
    }

    public static InvokeId random() {
        return new InvokeId("t-" + UUID.randomUUID().toString().replace("-", ""));
    }

    public static boolean isValid(String value) {
        return value != null && FORMAT.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
