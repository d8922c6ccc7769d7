package io.stopplane.stack;

import io.stopplane.access.KafkaAccess;
import io.stopplane.access.KafkaAccessSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A standalone KRaft node (broker and controller) as every stack makes one: the config rendered from
 * {@code tools/broker/server.properties.template} (authentication and ACLs on), the storage formatted with the
 * broker's and the admin's SCRAM credentials by Kafka's {@code StorageTool} (this is its only caller), and
 * {@code kafka.Kafka} as a process. {@code bin/stopplane} prepares its broker through {@link #main}; the chaos
 * cluster and {@code KafkaAccessIT} call the methods. How a node's process is started and marked stays with them.
 */
public final class KraftNode {

    private KraftNode() {
    }

    /**
     * {@code prepare <root> <kafka-dir> <port> <controller-port> <credentials-file>}: writes
     * {@code <kafka-dir>/server.properties} (0600) and, when {@code <kafka-dir>/data} has never been formatted, formats
     * it under the cluster id in {@code <kafka-dir>/cluster.id} (made once). The format runs in a JVM of its own with
     * this one's class path, which must hold the broker's jars; its output goes to this process's.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 6 || !args[0].equals("prepare")) {
            System.err.println("usage: KraftNode prepare <root> <kafka-dir> <port> <controller-port> <credentials-file>");
            System.exit(2);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            prepare(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    KafkaAccessSetup.read(Path.of(args[5])), java, System.getProperty("java.class.path"),
                    ProcessBuilder.Redirect.INHERIT, System.out::println);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Writes {@code <dir>/server.properties} (0600) and, when {@code <dir>/data} has never been formatted, formats it
     * under the cluster id in {@code <dir>/cluster.id} (made once) in a JVM of its own on {@code classpath} (the broker's
     * jars), its output to {@code output}. Returns whether it formatted; throws if the format failed.
     */
    public static boolean prepare(Path root, Path dir, int port, int controllerPort, Map<String, String> passwords,
            String javaBin, String classpath, ProcessBuilder.Redirect output, java.util.function.Consumer<String> note)
            throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path config = dir.resolve("server.properties");
        writePrivate(config, config(root, port, controllerPort, data, passwords));
        if (Files.exists(data.resolve("meta.properties"))) {
            return false;
        }
        Path idFile = dir.resolve("cluster.id");
        String clusterId = Files.exists(idFile) ? Files.readString(idFile).strip() : "";
        if (clusterId.isEmpty()) {
            clusterId = newClusterId();
            Files.writeString(idFile, clusterId + "\n");
        }
        note.accept("formatting KRaft storage (cluster id " + clusterId + ")");
        int exit = new ProcessBuilder(formatCommand(javaBin, classpath, config, clusterId, passwords))
                .redirectErrorStream(true).redirectOutput(output).start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("formatting KRaft storage failed (exit " + exit + ")");
        }
        return true;
    }

    /** A new cluster id, in the form {@code kafka-storage random-uuid} gives. */
    public static String newClusterId() {
        return Uuid.randomUuid().toString();
    }

    /** The template with this node's listeners, data directory and the broker's password. */
    public static String config(Path root, int port, int controllerPort, Path data, Map<String, String> passwords)
            throws IOException {
        return Files.readString(root.resolve("tools/broker/server.properties.template"))
                .replace("@KAFKA_PORT@", String.valueOf(port))
                .replace("@KAFKA_CONTROLLER_PORT@", String.valueOf(controllerPort))
                .replace("@KAFKA_DATA_DIR@", data.toString())
                .replace("@KAFKA_BROKER_PASSWORD@", password(passwords, KafkaAccess.BROKER));
    }

    /** {@code kafka-storage format} of a node's config, with the broker's and the admin's SCRAM credentials. */
    public static List<String> formatCommand(String javaBin, String classpath, Path config, String clusterId,
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
    public static List<String> startCommand(String javaBin, List<String> jvmOptions, String classpath, Path config) {
        List<String> command = new ArrayList<>(List.of(javaBin));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, "kafka.Kafka", config.toString()));
        return command;
    }

    private static void writePrivate(Path file, String text) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(file, text);
    }

    private static String password(Map<String, String> passwords, String user) {
        String p = passwords.get(user);
        if (p == null) {
            throw new IllegalStateException("no Kafka password for " + user);
        }
        return p;
    }
}
