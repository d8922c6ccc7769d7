package io.stopplane.chaos;

import io.stopplane.access.KafkaAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A standalone KRaft node (broker and controller) as {@code bin/stopplane} makes its broker: the config rendered from
 * {@code tools/broker/server.properties.template} (authentication and ACLs on), the storage formatted with the
 * broker's and the admin's SCRAM credentials, and {@code kafka.Kafka} as a process. The chaos suite's three-node
 * cluster and {@code KafkaAccessIT} start theirs with it; what else a node needs (its overrides, how its process is
 * started and marked) stays with them.
 */
final class KraftNode {

    private KraftNode() {
    }

    /** The template with this node's listeners, data directory and the broker's password. */
    static String config(Path root, int port, int controllerPort, Path data, Map<String, String> passwords)
            throws IOException {
        return Files.readString(root.resolve("tools/broker/server.properties.template"))
                .replace("@KAFKA_PORT@", String.valueOf(port))
                .replace("@KAFKA_CONTROLLER_PORT@", String.valueOf(controllerPort))
                .replace("@KAFKA_DATA_DIR@", data.toString())
                .replace("@KAFKA_BROKER_PASSWORD@", password(passwords, KafkaAccess.BROKER));
    }

    /** {@code kafka-storage format} of a node's config, with the broker's and the admin's SCRAM credentials. */
    static List<String> formatCommand(String javaBin, String classpath, Path config, String clusterId,
            Map<String, String> passwords) {
        List<String> command = new ArrayList<>(List.of(javaBin, "-cp", classpath, "kafka.tools.StorageTool", "format",
                "-t", clusterId, "-c", config.toString()));
        for (String user : List.of(KafkaAccess.BROKER, KafkaAccess.ADMIN)) {
            command.add("--add-scram");
            command.add("SCRAM-SHA-512=[name=" + user + ",password=" + password(passwords, user) + "]");
        }
        return command;
    }

    /** The broker's JVM: {@code jvmOptions} (heap, logging, markers) and then {@code kafka.Kafka <config>}. */
    static List<String> startCommand(String javaBin, List<String> jvmOptions, String classpath, Path config) {
        List<String> command = new ArrayList<>(List.of(javaBin));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, "kafka.Kafka", config.toString()));
        return command;
    }

    private static String password(Map<String, String> passwords, String user) {
        String p = passwords.get(user);
        if (p == null) {
            throw new IllegalStateException("no Kafka password for " + user);
        }
        return p;
    }
}
