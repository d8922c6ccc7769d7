package io.stopplane.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.access.KafkaAccess;
import io.stopplane.access.KafkaAccessSetup;
import io.stopplane.stack.ProcScan;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: of a three-node KRaft cluster (RF 3, min.insync.replicas=2, the nodes of fault 5 as processes of their
 * own), the node that coordinates the API's transactions is SIGKILLed for good. Stops must be accepted again as soon
 * as the cluster has moved what the API needs, and until then be refused the bounded way (InternalError.Dispatch or
 * ServiceUnavailable, never a hang). The bound comes from the killed node's configuration
 * ({@link KraftCluster#stopsAcceptedAgainWithin}, which fault 5 of the chaos suite holds the API to as well).
 */
class TransactionCoordinatorLossIT {

    private final Path root = Path.of(System.getProperty("stopplane.root", "..")).toAbsolutePath().normalize();
    private final Path logs = root.resolve("chaos/target/coordinator-loss");
    private final List<Process> nodes = new ArrayList<>();
    private Path state;
    private JarStack stack;

    @AfterEach
    void stopEverything() throws Exception {
        if (stack != null) {
            stack.close();
        }
        for (Process node : nodes) {
            node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (state != null) {
            LauncherStack.deleteTree(state);
        }
    }

    @Test
    void stopsAreAcceptedAgainSoonAfterTheNodeCoordinatingTheApisTransactionsDies() throws Exception {
        state = Files.createTempDirectory("coordinator-loss-");
        LauncherStack.Ports ports = new LauncherStack.Ports(0, freePorts(6));
        Map<String, String> passwords = KafkaAccessSetup.credentials(state.resolve("kafka-credentials"));
        KraftCluster cluster = new KraftCluster(root, state.resolve("cluster"), logs,
                System.getProperty("java.class.path"), ports, passwords);
        // on the test class path the broker logs through slf4j-simple, which the chaos module keeps at WARN
        cluster.start(this::startNode, List.of("-Dstopplane.run.dir=" + state,
                "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info"));
        String bootstrap = KraftCluster.NODES.stream().map(n -> "127.0.0.1:" + ports.broker(n))
                .collect(Collectors.joining(","));
        try (Admin admin = KafkaAccessSetup.admin(bootstrap, passwords)) {
            KafkaAccessSetup.apply(admin, passwords);
        }
        // the parts log in as the admin: this test is about the transaction coordinator, KafkaAccessIT about the ACLs
        stack = new JarStack(bootstrap, state, Map.of("STOPPLANE_TOPIC_REPLICATION", "3",
                "STOPPLANE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "STOPPLANE_KAFKA_USERNAME", KafkaAccess.ADMIN,
                "STOPPLANE_KAFKA_PASSWORD", passwords.get(KafkaAccess.ADMIN)), logs);
        // the agent registers through the gateway, whose registration the dispatcher's registry fold decides
        stack.startTogether(List.of("dispatcher", "api-service", "agent-gateway"));
        String instance = stack.instances().get(0);
        Rpc rpc = new Rpc(stack.apiBase(), new Tally());

        // a long command to stop (accepted once the API has seen the agent's heartbeat)
        String invokeId = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> rpc.call("RunCommand", "Type", "RunShellScript", "CommandContent", "sleep 300.2020",
                        "InstanceId.1", instance, "Timeout", "600"), Rpc.Answer::ok)
                .body().get("InvokeId").asString();
        int coordinator = coordinatorOfTheApisTransactions(bootstrap, passwords);
        Properties node = KraftCluster.nodeConfig(state.resolve("cluster"), coordinator);
        ProcessHandle.of(cluster.pid(coordinator)).orElseThrow().destroyForcibly(); // SIGKILL
        long killed = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcScan.alive(cluster.pid(coordinator)));

        Duration bound = KraftCluster.stopsAcceptedAgainWithin(node);
        List<Rpc.Answer> refused = new ArrayList<>();
        await().atMost(bound).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
            Rpc.Answer stop = rpc.call("StopInvocation", "InvokeId", invokeId);
            if (!stop.ok()) {
                refused.add(stop);
            }
            return stop.ok();
        });
        System.out.printf("[coordinator-loss] kafka-%d (the coordinator of the API's transactions) killed; first "
                + "stop accepted %.1f s later (bound %s), after %d refusals: %s%n", coordinator,
                (System.nanoTime() - killed) / 1e9, bound, refused.size(), refused);
        assertThat(refused).allSatisfy(answer -> {
            assertThat(answer.kind()).as(answer.toString()).isEqualTo(Rpc.Kind.SERVER_ERROR);
            assertThat(Tally.ALLOWED_5XX).as(answer.toString()).contains(answer.code());
        });
    }

    /** The node that coordinates most of the API's transactional ids (one, unless a producer was replaced). */
    private static int coordinatorOfTheApisTransactions(String bootstrap, Map<String, String> passwords)
            throws Exception {
        try (Admin admin = KafkaAccessSetup.admin(bootstrap, passwords)) {
            List<String> ids = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId).filter(id -> id.startsWith("stopplane-api-")).toList();
            assertThat(ids).as("the API's transactional ids").isNotEmpty();
            Collection<TransactionDescription> described = admin.describeTransactions(ids).all()
                    .get(30, TimeUnit.SECONDS).values();
            return described.stream().collect(Collectors.groupingBy(TransactionDescription::coordinatorId,
                    Collectors.counting())).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow()
                    .getKey();
        }
    }

    private long startNode(List<String> command, Path consoleLog) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile())).start();
        nodes.add(p);
        return p.pid();
    }

    /** The first of {@code count} consecutive ports that are all free. */
    private static int freePorts(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            if (java.util.stream.IntStream.range(base, base + count).allMatch(TransactionCoordinatorLossIT::free)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
