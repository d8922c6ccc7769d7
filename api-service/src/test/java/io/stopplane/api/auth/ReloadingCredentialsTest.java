package io.stopplane.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void aChangedFileAppliesWithoutARestartAndABrokenOneKeepsTheLastGood() throws Exception {
        Path file = write("first", "secret-1");
        ReloadingCredentials credentials = new ReloadingCredentials(file, () -> CredentialStore.load(file));
        assertThat(credentials.get().find("first")).isPresent();

        write("second", "secret-2");
        credentials.poll();
        assertThat(credentials.get().find("first")).isEmpty();
        assertThat(credentials.get().find("second").orElseThrow().key().accessKeySecret()).isEqualTo("secret-2");
        assertThat(credentials.health().getStatus().getCode()).isEqualTo("UP");

        Files.writeString(file, "accounts: [{id: \"1\", keys: [{accessKeyId: third, accessKeySecret: \"secret-3\"");
        credentials.poll();
        assertThat(credentials.get().find("second")).as("the last good file still serves").isPresent();
        assertThat(credentials.error()).hasValueSatisfying(e -> assertThat(e).contains("not valid YAML")
                .doesNotContain("secret-3"));
        assertThat(credentials.health().getStatus().getCode()).isEqualTo(ReloadingCredentials.STALE);
        assertThat(credentials.health().getDetails()).containsKey("error");

        write("fourth", "secret-4");
        credentials.poll();
        assertThat(credentials.get().find("fourth")).isPresent();
        assertThat(credentials.error()).isEmpty();
        assertThat(credentials.health().getStatus().getCode()).isEqualTo("UP");
    }

    @Test
    void aBrokenFileAtStartUpIsFatal() throws Exception {
        Path file = Files.writeString(dir.resolve("credentials.yml"), "accounts: 3");
        assertThatThrownBy(() -> new ReloadingCredentials(file, () -> CredentialStore.load(file)))
                .hasMessageContaining("accounts");
    }

    private Path write(String keyId, String secret) throws Exception {
        return Files.writeString(dir.resolve("credentials.yml"), """
                accounts:
                  - id: "1"
                    keys:
                      - accessKeyId: %s
                        accessKeySecret: "%s"
                        enabled: true
                        actions: ["*"]
                """.formatted(keyId, secret));
    }
}
