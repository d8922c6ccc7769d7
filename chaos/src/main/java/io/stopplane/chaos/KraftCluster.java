package io.stopplane.chaos;

import io.stopplane.stack.KraftNode;
import io.stopplane.stack.ProcScan;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The three KRaft nodes of fault 5, each broker and controller, as processes of their own: each a {@link KraftNode}
 * (authentication and ACLs on) with the replication settings of the production compose file, formatted with one
 * cluster id. The chaos stack runs them from the broker jars {@code bin/stopplane} fetched;
 * {@code TransactionCoordinatorLossIT} from its test class path, which holds the same broker (spring-kafka-test's).
 */
final class KraftCluster {

    static final List<Integer> NODES = List.of(1, 2, 3);

    /** Starts a node's process, detached and marked as the caller marks what it starts; returns its pid. */
    interface Starter {
        long start(List<String> command, Path consoleLog) throws IOException;
    }

    private final Path root;
    private final Path dir;
    private final Path logs;
    private final String classpath;
    private final LauncherStack.Ports ports;
    private final Map<String, String> passwords;
    private final String javaBin = ProcessHandle.current().info().command().orElse("java");
    private final Map<Integer, Long> pids = new LinkedHashMap<>();

    /**
     * @param root the checkout (for the template and the broker's log4j2 configuration)
     * @param dir where the nodes' configurations and data go ({@code kafka-<n>/})
     * @param logs where each node's log goes ({@code kafka-<n>.log}, {@code kafka-<n>.console.log})
     * @param passwords the Kafka credentials ({@code KafkaAccessSetup.credentials}): the broker's for its listeners,
     *     the broker's and the admin's formatted into the storage as SCRAM users
     */
    KraftCluster(Path root, Path dir, Path logs, String classpath, LauncherStack.Ports ports,
            Map<String, String> passwords) {
        this.root = root;
        this.passwords = passwords;
        this.dir = dir;
        this.logs = logs;
        this.classpath = classpath;
        this.ports = ports;
    }

    /**
     * Formats and starts the three nodes; returns the cluster id once all three run.
     *
     * @param jvmArgs the caller's marks and settings for each node's JVM
     */
    String start(Starter starter, List<String> jvmArgs) throws Exception {
        String clusterId = KraftNode.newClusterId();
        String voters = NODES.stream().map(n -> n + "@127.0.0.1:" + ports.controller(n))
                .collect(Collectors.joining(","));
        Files.createDirectories(logs);
        List<Process> formats = new ArrayList<>();
        for (int n : NODES) {
            Path node = Files.createDirectories(dir.resolve("kafka-" + n));
            Path props = node.resolve("server.properties");
            Files.writeString(props, config(n, voters, node.resolve("data")), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(props, PosixFilePermissions.fromString("rw-------")); // a password in it
            formats.add(new ProcessBuilder(KraftNode.formatCommand(javaBin, classpath, props, clusterId, passwords))
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve("kafka-" + n + ".format.log").toFile()).start());
        }
        for (int n : NODES) {
            Process format = formats.get(n - 1);
            if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting kafka-" + n + " failed: "
                        + Files.readString(logs.resolve("kafka-" + n + ".format.log")));
            }
        }
        for (int n : NODES) {
            List<String> command = new ArrayList<>(List.of(javaBin, "-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                    "-Djava.awt.headless=true"));
            command.addAll(jvmArgs);
            command.addAll(List.of("-Dlog4j2.configurationFile=" + root.resolve("tools/broker/log4j2.xml"),
                    "-Dstopplane.kafka.log=" + logs.resolve("kafka-" + n + ".log"), "-cp", classpath, "kafka.Kafka",
                    dir.resolve("kafka-" + n).resolve("server.properties").toString()));
            pids.put(n, starter.start(command, logs.resolve("kafka-" + n + ".console.log")));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (int n : NODES) {
            while (!started(n)) {
                if (!ProcScan.alive(pids.get(n))) {
                    throw new IllegalStateException("kafka-" + n + " exited during start-up; see " + logs);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("kafka-" + n + " not started after 120 s; see " + logs);
                }
                Thread.sleep(200);
            }
        }
        return clusterId;
    }

    /**
     * How long after one node of three is SIGKILLed a stop must be accepted again, from that node's configuration: the
     * quorum notices its lost member and elects a leader ({@code controller.quorum.fetch.timeout.ms} +
     * {@code controller.quorum.election.timeout.ms}), the controller fences the dead broker and moves its leaders
     * ({@code broker.session.timeout.ms}), and the API answers the stop that was in flight and one more within the
     * bound of an answer each ({@link Tally#MAX_5XX_MILLIS}). {@code TransactionCoordinatorLossIT} and fault 5 hold
     * the API to it.
     */
    static Duration stopsAcceptedAgainWithin(Properties node) {
        // unset keys have Kafka's defaults (QuorumConfig's and KRaftConfigs', in the broker jars only)
        return Duration.ofMillis(millis(node, "controller.quorum.fetch.timeout.ms", 2000)
                + millis(node, "controller.quorum.election.timeout.ms", 1000)
                + millis(node, "broker.session.timeout.ms", 9000)
                + 2 * Tally.MAX_5XX_MILLIS);
    }

    private static long millis(Properties config, String key, long fallback) {
        return Long.parseLong(config.getProperty(key, String.valueOf(fallback)).strip());
    }

    /** The configuration a node of the cluster in {@code dir} was started with ({@code kafka-<n>/server.properties}). */
    static Properties nodeConfig(Path dir, int node) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(dir.resolve("kafka-" + node).resolve("server.properties"))));
        return p;
    }

    /** The node's pid, by node id. */
    long pid(int node) {
        return pids.get(node);
    }

    /** "Kafka Server started", in the log4j2 log of the fetched jars or on the console of another logging backend. */
    private boolean started(int node) throws IOException {
        for (Path f : List.of(logs.resolve("kafka-" + node + ".log"), logs.resolve("kafka-" + node + ".console.log"))) {
            if (Files.isRegularFile(f) && Files.readString(f).contains("Kafka Server started")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The template with the cluster's values: its listeners and data directory, node id and voters, and the
     * replication of the production compose file (RF 3, min.insync.replicas=2, no unclean election).
     */
    private String config(int node, String voters, Path data) throws IOException {
        String template = KraftNode.config(root, ports.broker(node), ports.controller(node), data, passwords);
        Map<String, String> override = new LinkedHashMap<>();
        override.put("node.id", String.valueOf(node));
        override.put("controller.quorum.voters", voters);
        override.put("offsets.topic.replication.factor", "3");
        override.put("transaction.state.log.replication.factor", "3");
        override.put("transaction.state.log.min.isr", "2");
        override.put("share.coordinator.state.topic.replication.factor", "3");
        override.put("share.coordinator.state.topic.min.isr", "2");
        override.put("default.replication.factor", "3");
        override.put("min.insync.replicas", "2");
        override.put("unclean.leader.election.enable", "false");
        StringBuilder out = new StringBuilder("# chaos: node " + node + " of a three-node cluster, from the template\n");
        for (String line : template.split("\n", -1)) {
            String key = line.contains("=") && !line.startsWith("#") ? line.substring(0, line.indexOf('=')).strip() : null;
            if (key != null && override.containsKey(key)) {
                out.append(key).append('=').append(override.remove(key)).append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        override.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        Properties check = new Properties();
        check.load(new StringReader(out.toString()));
        if (!"3".equals(check.getProperty("default.replication.factor"))) {
            throw new IllegalStateException("cluster config not applied");
        }
        return out.toString();
    }
}
