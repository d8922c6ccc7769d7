package io.stopplane.model.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.stopplane.model.error.ApiError;
import java.util.Arrays;
import java.util.Optional;

/** RunCommand's and InvokeCommand's {@code RepeatMode}, by its wire name. */
public enum RepeatMode {
    ONCE("Once"),
    PERIOD("Period"),
    NEXT_REBOOT_ONLY("NextRebootOnly"),
    EVERY_REBOOT("EveryReboot"),
    /** Check everything, run nothing. */
    DRY_RUN("DryRun");

    private final String wireName;

    RepeatMode(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * The mode a request asks for. "If you specify the Frequency parameter, Period is used as the value of RepeatMode
     * regardless", so a Frequency turns Once, NextRebootOnly and EveryReboot into Period; a wrong RepeatMode is still
     * refused (a typo must not pass silently). DryRun stays DryRun (our decision: a check never becomes runs). Period
     * without a Frequency is refused; without either the mode is Once. {@code Timed} is not read: Alibaba documents it
     * as "no longer used".
     *
     * @throws InvalidFrequencyException InvalidParameter naming the valid values, or MissingParameter Frequency
     */
    public static RepeatMode resolve(Optional<String> repeatMode, boolean hasFrequency) {
        RepeatMode asked = repeatMode.filter(s -> !s.isEmpty()).map(RepeatMode::of).orElse(ONCE);
        if (asked == DRY_RUN) {
            return DRY_RUN;
        }
        if (hasFrequency) {
            return PERIOD;
        }
        if (asked == PERIOD) {
            throw new InvalidFrequencyException(ApiError.MISSING_PARAMETER, "Frequency",
                    "RepeatMode Period needs a Frequency.");
        }
        return asked;
    }

    /** Whether it runs when the instance reboots: {@code NextRebootOnly} or {@code EveryReboot}. */
    public boolean onReboot() {
        return this == NEXT_REBOOT_ONLY || this == EVERY_REBOOT;
    }

    /** @throws InvalidFrequencyException InvalidParameter RepeatMode, naming the valid values */
    @JsonCreator
    public static RepeatMode of(String wireName) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(wireName)).findFirst()
                .orElseThrow(() -> new InvalidFrequencyException(ApiError.INVALID_PARAMETER, "RepeatMode",
                        "It must be Once, Period, NextRebootOnly, EveryReboot or DryRun."));
    }
}
