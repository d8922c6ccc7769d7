package io.stopplane.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {

    @TempDir
    Path dir;

    @Test
    void aKeyWithoutActionsMayDoNothingAndWithoutEnabledIsDisabled() throws Exception {
        CredentialStore store = load("""
                accounts:
                  - id: "1"
                    keys:
                      - accessKeyId: bare
                        accessKeySecret: "s"
                      - accessKeyId: listed
                        accessKeySecret: "s"
                        enabled: true
                        actions: [DescribeRegions]
                      - accessKeyId: yes-string
                        accessKeySecret: "s"
                        enabled: "true"
                        actions: ["*"]
                """, Map.of());
        AccessKey bare = store.find("bare").orElseThrow().key();
        assertThat(bare.enabled()).isFalse();
        assertThat(bare.permits("DescribeRegions")).isFalse();
        assertThat(bare.permits("StopInvocation")).isFalse();
        AccessKey listed = store.find("listed").orElseThrow().key();
        assertThat(listed.enabled()).isTrue();
        assertThat(listed.permits("DescribeRegions")).isTrue();
        assertThat(listed.permits("StopInvocation")).isFalse();
        assertThat(store.find("yes-string").orElseThrow().key().enabled()).as("only the boolean true enables")
                .isFalse();
    }

    @Test
    void aSecretMayComeFromAFileOrAnEnvironmentVariable() throws Exception {
        Files.writeString(dir.resolve("key01.secret"), "from-a-file\n");
        CredentialStore store = load("""
                accounts:
                  - id: "1"
                    keys:
                      - accessKeyId: filed
                        secretFile: key01.secret
                        enabled: true
                      - accessKeyId: env
                        secretEnv: STOPPLANE_TEST_SECRET
                        enabled: true
                """, Map.of("STOPPLANE_TEST_SECRET", "from-the-env"));
        assertThat(store.find("filed").orElseThrow().key().accessKeySecret()).isEqualTo("from-a-file");
        assertThat(store.find("env").orElseThrow().key().accessKeySecret()).isEqualTo("from-the-env");
    }

    @Test
    void aKeyNeedsExactlyOneSecretAndItMustBeThere() {
        assertThatThrownBy(() -> load("""
                accounts: [{id: "1", keys: [{accessKeyId: two, accessKeySecret: a, secretEnv: B}]}]
                """, Map.of("B", "b"))).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> load("""
                accounts: [{id: "1", keys: [{accessKeyId: none}]}]
                """, Map.of())).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> load("""
                accounts: [{id: "1", keys: [{accessKeyId: unset, secretEnv: NOT_SET}]}]
                """, Map.of())).hasMessageContaining("NOT_SET is not set");
        assertThatThrownBy(() -> load("""
                accounts: [{id: "1", keys: [{accessKeyId: missing, secretFile: nowhere.secret}]}]
                """, Map.of())).hasMessageContaining("cannot read secretFile");
    }

    @Test
    void aBrokenFileSaysWhereNotWhat() {
        assertThatThrownBy(() -> load("accounts: [{id: \"1\", keys: [{accessKeySecret: \"top-secret\"", Map.of()))
                .hasMessageContaining("is not valid YAML").message().doesNotContain("top-secret");
    }

    @Test
    void theExampleFilesSecretsAreRefusedUnlessAllowed() throws Exception {
        CredentialStore example = CredentialStore.load(Path.of("../deploy/credentials.example.yml"),
                Map.<String, String>of()::get);
        assertThatThrownBy(() -> example.refusingExampleSecrets(false))
                .hasMessageContaining("STOPPLANE_ALLOW_EXAMPLE_SECRETS=true").hasMessageContaining("LTAI5tExampleKey01")
                .message().doesNotContain("example-secret-01");
        assertThat(example.refusingExampleSecrets(true)).isSameAs(example);
        CredentialStore real = load("""
                accounts: [{id: "1", keys: [{accessKeyId: k, accessKeySecret: "s3cr3t", enabled: true}]}]
                """, Map.of());
        assertThat(real.refusingExampleSecrets(false)).isSameAs(real);
    }

    private CredentialStore load(String yaml, Map<String, String> env) throws Exception {
        Path file = Files.writeString(dir.resolve("credentials.yml"), yaml);
        return CredentialStore.load(file, env::get);
    }
}
