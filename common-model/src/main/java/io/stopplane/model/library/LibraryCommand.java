package io.stopplane.model.library;

import io.stopplane.model.event.Caller;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.RegionId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A command of the library, as {@code command-library} keeps it (key: the command id): every write is the command's
 * whole new version, so the record is both the change and the state, and compaction keeps exactly the library. A
 * deleted command stays as a record marked {@code deleted} without its content: no older version read late can bring
 * it back, and who deleted it is kept.
 *
 * @param content the plain script text; null once deleted
 * @param parameterNames the custom parameters of {@code content} ({@link CommandTemplate#parameterNames}), in the
 *     order they first appear; empty unless {@code enableParameter}
 * @param caller who made this version (created, modified or deleted it)
 * @param version 1 when created, one more on each write: of two records of a command, the higher is the newer
 */
public record LibraryCommand(
        CommandId commandId,
        String accountId,
        RegionId regionId,
        String name,
        String description,
        String type,
        String content,
        int timeoutSeconds,
        String workingDir,
        boolean enableParameter,
        List<String> parameterNames,
        Instant creationTime,
        Instant updateTime,
        boolean deleted,
        Caller caller,
        long version) {

    public LibraryCommand {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(regionId, "regionId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(creationTime, "creationTime");
        Objects.requireNonNull(updateTime, "updateTime");
        if (!deleted) {
            Objects.requireNonNull(content, "content");
        }
        parameterNames = parameterNames == null ? List.of() : List.copyOf(parameterNames);
    }

    public String key() {
        return commandId.value();
    }

    /** This command as deleted by {@code by} at {@code at}: what stays of it in the topic. */
    public LibraryCommand deletedBy(Caller by, Instant at) {
        return new LibraryCommand(commandId, accountId, regionId, name, description, type, null, timeoutSeconds,
                workingDir, enableParameter, parameterNames, creationTime, at, true, by, version + 1);
    }
}
