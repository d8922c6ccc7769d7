package io.stopplane.agent.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootIdFileTest {

    @TempDir
    Path dir;

    @Test
    void readsTheBootIdAsTheKernelWritesIt() throws IOException {
        Path file = Files.writeString(dir.resolve("boot_id"), "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\n");
        assertThat(BootIdFile.read(file)).isEqualTo("6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    }

    @Test
    void readsThisHostsOwnBootId() {
        assertThat(BootIdFile.read(Path.of("/proc/sys/kernel/random/boot_id"))).hasSize(36);
    }

    @Test
    void aMissingFileIsAStartupErrorNamingTheSetting() {
        assertThatThrownBy(() -> BootIdFile.read(dir.resolve("absent")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stopplane.agent.boot-id-file").hasMessageContaining("cannot be read");
    }

    @Test
    void aFileThatHoldsNoBootIdIsAStartupErrorThatDoesNotEchoIt() throws IOException {
        for (String content : new String[] {"", "secret-looking-content", "6F1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D",
                "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" + "0".repeat(100_000)}) {
            Path file = Files.writeString(dir.resolve("boot_id"), content);
            assertThatThrownBy(() -> BootIdFile.read(file)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("does not hold a boot id").hasMessageNotContaining("secret");
        }
    }
}
