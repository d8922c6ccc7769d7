/**
 * The command library (CreateCommand … DeleteCommand) and command parameters: {@link
 * io.stopplane.model.library.LibraryCommand}, one saved command as its compacted topic keeps it, and {@link
 * io.stopplane.model.library.CommandTemplate}, the {@code {{name}}} placeholders of a command's content, checked and
 * resolved per target. Pure: no Spring, no Kafka.
 */
package io.stopplane.model.library;
