package io.stopplane.agent.gateway;

import io.stopplane.model.agent.BootIds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host's boot id ({@code stopplane.agent.boot-id-file}, Linux's {@code /proc/sys/kernel/random/boot_id} by default),
 * read once when the agent starts: a reboot restarts the agent, so it cannot change while the agent runs. A file that
 * cannot be read, or does not hold a boot id, stops the agent from starting: the dispatcher runs the reboot modes on
 * it, and an agent without one would leave every {@code NextRebootOnly}/{@code EveryReboot} invocation on its instances
 * waiting forever, unseen. Every Linux kernel has the file; elsewhere, point the setting at a file kept to that form.
 */
final class BootIdFile {

    /** Enough for a boot id and its newline: what a file holds beyond that is not one. */
    private static final int MAX_READ = 64;

    private BootIdFile() {
    }

    /** @throws IllegalStateException naming the file and what is wrong with it (never its content) */
    static String read(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_READ);
        } catch (IOException e) {
            throw new IllegalStateException("stopplane.agent.boot-id-file " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + "): the agent says its host's boot id in its hello, for the "
                    + "reboot-mode invocations", e);
        }
        String bootId = new String(bytes, StandardCharsets.US_ASCII).strip();
        if (!BootIds.isValid(bootId)) {
            throw new IllegalStateException("stopplane.agent.boot-id-file " + file + " does not hold a boot id: "
                    + BootIds.LENGTH + " characters, a lowercase UUID as /proc/sys/kernel/random/boot_id holds it");
        }
        return bootId;
    }
}
