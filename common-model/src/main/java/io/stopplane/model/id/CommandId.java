package io.stopplane.model.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** A command id, {@code c-} followed by letters and digits. */
public record CommandId(@JsonValue String value) {

    private static final Pattern FORMAT = Pattern.compile("c-[A-Za-z0-9]{1,64}");

    public CommandId {
        Objects.requireNonNull(value, "CommandId");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("CommandId must look like c-<letters and digits>: " + value);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CommandId of(String value) {
        return new CommandId(value);
    }

    public static boolean isValid(String value) {
        return value != null && FORMAT.matcher(value).matches();
    }

    public static CommandId random() {
        return new CommandId("c-" + UUID.randomUUID().toString().replace("-", ""));
    }

    @Override
    public String toString() {
        return value;
    }
}
