package io.stopplane.audit.verify;

import io.stopplane.audit.replay.EventLog;
import io.stopplane.audit.verify.VerifyCommand.Mismatch;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InvocationState;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * The state the log makes of one invocation against what the state topic holds for it: the record under its key with
 * the latest record of each of its targets laid on it, as every reader of the topic assembles it.
 */
final class Comparison {

    private final String eventsTopic;
    private final String stateTopic;

    Comparison(String eventsTopic, String stateTopic) {
        this.eventsTopic = eventsTopic;
        this.stateTopic = stateTopic;
    }

    /**
     * @param want the fold of the key's events; null if they make no invocation
     * @param record the latest committed state record of the key; null if none (or a tombstone)
     * @param targets the latest committed target record of each of its targets (keys {@code key/instanceId})
     */
    Optional<Mismatch> of(String key, InvocationState want, byte[] record, List<byte[]> targets) {
        if (record == null) {
            if (want == null && !targets.isEmpty()) {
                return mismatch(key, targets.size() + " target record(s) in " + stateTopic
                        + " without the invocation's record");
            }
            return want == null ? Optional.empty() : mismatch(key, "missing from " + stateTopic
                    + " (expected version " + want.version() + ", " + want.invocationStatus().wireName() + ")");
        }
        InvocationState found;
        try {
            found = EventLog.state(record);
            for (byte[] target : targets) {
                found = found.with(EventLog.target(target));
            }
        } catch (JacksonException | IllegalArgumentException e) {
            return mismatch(key, "unreadable state record: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (want == null) {
            return mismatch(key, "in " + stateTopic + " (version " + found.version() + ", "
                    + found.invocationStatus().wireName() + ") but no event of " + eventsTopic + " creates it");
        }
        if (want.equals(found)) {
            return Optional.empty();
        }
        List<String> diffs = StateDiff.between(StopPlaneJson.mapper().valueToTree(want),
                StopPlaneJson.mapper().valueToTree(found));
        String lag = found.version() < want.version()
                ? " (the state is behind the log: is the dispatcher running and caught up?)" : "";
        return mismatch(key, "version " + want.version() + " expected, " + found.version() + " found" + lag + "; "
                + (diffs.isEmpty() ? "the states differ" : String.join("; ", diffs)));
    }

    private static Optional<Mismatch> mismatch(String key, String detail) {
        return Optional.of(new Mismatch(key, detail));
    }
}
