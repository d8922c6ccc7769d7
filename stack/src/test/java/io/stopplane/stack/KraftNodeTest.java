package io.stopplane.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KraftNodeTest {

    private static final Map<String, String> PASSWORDS = Map.of("broker", "b-secret", "admin", "a-secret");

    @TempDir
    Path dir;

    @Test
    void theConfigIsTheTemplateWithThisNodesListenersDataAndTheBrokersPassword() throws Exception {
        Path root = rootWithTemplate();
        String config = KraftNode.config(root, 19092, 19093, dir.resolve("data"), PASSWORDS);
        assertThat(config).isEqualTo("listeners=SASL_PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093\n"
                + "log.dirs=" + dir.resolve("data") + "\npassword=b-secret\n");
    }

    @Test
    void theFormatCarriesTheBrokersAndTheAdminsScramCredentials() {
        assertThat(KraftNode.formatCommand("java", "lib/*", Path.of("server.properties"), "id1", PASSWORDS))
                .containsExactly("java", "-cp", "lib/*", "kafka.tools.StorageTool", "format", "-t", "id1", "-c",
                        "server.properties", "--add-scram", "SCRAM-SHA-512=[name=broker,password=b-secret]",
                        "--add-scram", "SCRAM-SHA-512=[name=admin,password=a-secret]");
    }

    @Test
    void aMissingPasswordIsAnErrorNotAnEmptyCredential() {
        assertThatThrownBy(() -> KraftNode.formatCommand("java", "lib/*", Path.of("c"), "id", Map.of("broker", "b")))
                .hasMessageContaining("no Kafka password for admin");
    }

    @Test
    void prepareRewritesTheConfigPrivatelyAndLeavesFormattedStorageAlone() throws Exception {
        Path root = rootWithTemplate();
        Path kafka = dir.resolve("kafka");
        Files.createDirectories(kafka.resolve("data"));
        Files.writeString(kafka.resolve("data/meta.properties"), "cluster.id=kept\n");
        Path credentials = dir.resolve("credentials");
        Files.writeString(credentials, "broker=b-secret\nadmin=a-secret\n");

        KraftNode.main(new String[] {"prepare", root.toString(), kafka.toString(), "19092", "19093",
                credentials.toString()});

        Path config = kafka.resolve("server.properties");
        assertThat(Files.readString(config)).contains("127.0.0.1:19092").contains("password=b-secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        // formatted before: no new cluster id, the storage untouched
        assertThat(kafka.resolve("cluster.id")).doesNotExist();
        assertThat(Files.readString(kafka.resolve("data/meta.properties"))).isEqualTo("cluster.id=kept\n");
    }

    @Test
    void clusterIdsAreKafkasBase64Uuids() {
        assertThat(KraftNode.newClusterId()).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(KraftNode.newClusterId());
    }

    private Path rootWithTemplate() throws Exception {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("tools/broker"));
        Files.writeString(root.resolve("tools/broker/server.properties.template"),
                "listeners=SASL_PLAINTEXT://127.0.0.1:@KAFKA_PORT@,CONTROLLER://127.0.0.1:@KAFKA_CONTROLLER_PORT@\n"
                        + "log.dirs=@KAFKA_DATA_DIR@\npassword=@KAFKA_BROKER_PASSWORD@\n");
        return root;
    }
}
