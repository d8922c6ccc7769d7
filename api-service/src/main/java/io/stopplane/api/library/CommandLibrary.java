package io.stopplane.api.library;

import io.stopplane.api.publish.RecordWriter;
import io.stopplane.model.event.CloudEvents;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.library.LibraryCommand;
import io.stopplane.model.topic.Topics;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The command library as this replica sees it: {@code command-library} read from its beginning and followed (by
 * {@link LibraryConfig}'s follower), plus what this replica itself just wrote, so that a caller reads its own write at
 * once on the replica it wrote through. Of two versions of a command the higher wins, the topic's copy on a tie: two
 * replicas writing the same command at once end, on every replica, with the one the topic has last.
 *
 * <p>The api-service is the library's only writer: a library write is a caller's decision on its own command, checked
 * against nothing but the command itself (no limit shared with others to keep, as an activation's), so no fold in the
 * dispatcher is needed to decide it; each replica checks and writes, the topic orders the writes.
 */
public class CommandLibrary {

    private final RecordWriter writer;
    private final Map<CommandId, LibraryCommand> commands = new ConcurrentHashMap<>();
    private volatile boolean ready;

    CommandLibrary(RecordWriter writer) {
        this.writer = writer;
    }

    /** The command, unless it was deleted or never existed (whoever owns it: the caller checks that). */
    public Optional<LibraryCommand> command(CommandId id) {
        return Optional.ofNullable(commands.get(id)).filter(c -> !c.deleted());
    }

    /** Every command not deleted. */
    public Stream<LibraryCommand> commands() {
        return commands.values().stream().filter(c -> !c.deleted());
    }

    /** False until the topic has been read to the end it had at start-up: a miss then proves nothing. */
    public boolean ready() {
        return ready;
    }

    /**
     * Writes a new version of a command (committed before it returns) and takes it into this replica's view.
     *
     * @throws io.stopplane.api.rpc.ApiException InternalError.Dispatch when it could not be written: nothing was
     */
    public void write(LibraryCommand command) {
        writer.write(Topics.COMMAND_LIBRARY.name(), command.key(), command,
                CloudEvents.of(command, RecordWriter.SOURCE));
        put(command);
    }

    /** A record read from the topic: under its own command's key, else it is refused (and dead-lettered). */
    void put(String key, LibraryCommand command) {
        if (!command.key().equals(key)) {
            throw new IllegalArgumentException("a command-library record under another command's key");
        }
        put(command);
    }

    private void put(LibraryCommand command) {
        commands.merge(command.commandId(), command, (old, neu) -> neu.version() >= old.version() ? neu : old);
    }

    /** A tombstone: the library never writes one (a deletion is a marked record), but an operator may. */
    void remove(String key) {
        if (CommandId.isValid(key)) {
            commands.remove(CommandId.of(key));
        }
    }

    void markReady() {
        ready = true;
    }
}
