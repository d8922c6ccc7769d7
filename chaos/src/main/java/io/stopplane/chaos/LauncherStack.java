package io.stopplane.chaos;

import io.stopplane.access.KafkaAccess;
import io.stopplane.access.KafkaAccessSetup;
import io.stopplane.access.KafkaLogin;
import io.stopplane.stack.Build;
import io.stopplane.stack.ProcScan;
import io.stopplane.stack.launch.LaunchConfig;
import io.stopplane.stack.launch.Launcher;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The stack as {@code bin/stopplane up} runs it, by the launcher's own classes ({@link Launcher}), in a scratch root
 * of its own ({@code .stopplane/chaos/stack/}) so that a chaos run never touches the state, the pid files or the ports
 * of the developer's own {@code bin/stopplane up}: the scratch root holds copies of the jars and links to {@code tools/}
 * and the broker jars. Parts are started as {@code up -d} and {@code start <part>} start them, and killed with SIGKILL
 * by the pid in their pid file. What the launcher cannot start is started here the way it would: a second dispatcher,
 * and the three brokers of the cluster shape ({@link KraftCluster}).
 */
final class LauncherStack implements Stack {

    private static final List<String> JARS = List.of("api-service", "dispatcher", "agent-gateway", "agent-consumer",
            "audit");

    /**
     * @param api api-service; the dispatcher, the agent, a second dispatcher and the api-service's management port
     *     (Actuator) take the next four ports, the agent gateway and its management port the two after
     * @param kafka the broker; its controller the next one; the cluster's brokers 2 and 3 the four after
     */
    record Ports(int api, int kafka) {

        int dispatcher() {
            return api + 1;
        }

        int agent() {
            return api + 2;
        }

        int dispatcher2() {
            return api + 3;
        }

        int apiManagement() {
            return api + 4;
        }

        int gateway() {
            return api + 5;
        }

        int gatewayManagement() {
            return api + 6;
        }

        int broker(int node) {
            return kafka + 2 * (node - 1);
        }

        int controller(int node) {
            return kafka + 2 * (node - 1) + 1;
        }
    }

    private final Path root;
    private final Path scratch;
    private final Path run;
    private final Ports ports;
    private final Consumer<String> log;
    private final String javaBin = ProcessHandle.current().info().command().orElse("java");
    private final Map<String, Long> ownPids = new LinkedHashMap<>();
    private final List<Integer> deadBrokers = new ArrayList<>();
    private Shape shape = Shape.SINGLE;
    private Path runDir;
    private Path outDir;
    private Launcher.Out out;

    LauncherStack(Path root, Path chaosHome, Ports ports, Consumer<String> log) throws IOException {
        this.root = root;
        this.scratch = chaosHome.resolve("stack");
        this.run = scratch.resolve(".stopplane");
        this.ports = ports;
        this.log = log;
        prepare();
    }

    /** The scratch root: the jars copied, links to tools/ and the broker jars. */
    private void prepare() throws IOException {
        Files.createDirectories(scratch);
        link(scratch.resolve("tools"), root.resolve("tools"));
        for (String module : JARS) {
            Path from = Build.jar(root, module);
            Path to = scratch.resolve(module).resolve("target").resolve(from.getFileName());
            Files.createDirectories(to.getParent());
            // a copy, not a link: a rebuild during the run must not change the jars under running processes
            if (!Files.exists(to) || Files.size(to) != Files.size(from)
                    || !Files.getLastModifiedTime(to).equals(Files.getLastModifiedTime(from))) {
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Path brokerLib = root.resolve(".stopplane/broker");
        if (!Files.isRegularFile(brokerLib.resolve("lib/kafka_2.13-4.1.2.jar"))) {
            throw new IllegalStateException("missing broker jars in " + brokerLib + "/lib (bin/stopplane chaos fetches them)");
        }
        Files.createDirectories(run);
        link(run.resolve("broker"), brokerLib);
    }

    private static void link(Path link, Path target) throws IOException {
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
            return;
        }
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(link);
        }
        Files.createSymbolicLink(link, target);
    }

    @Override
    public void up(Shape shape, Path runDir) throws Exception {
        this.shape = shape;
        this.runDir = runDir;
        ownPids.clear();
        deadBrokers.clear();
        launcher().down();
        for (String dir : List.of("kafka", "cluster", "dispatcher", "dispatcher-2", "agent", "pids", "logs")) {
            deleteTree(run.resolve(dir));
        }
        requireFree();
        switch (shape) {
            case SINGLE -> launcher().up(true, Optional.empty(), false);
            case TWO_DISPATCHERS -> {
                launcher().up(true, Optional.empty(), false);
                startSecondDispatcher();
            }
            case CLUSTER -> {
                startCluster();
                startServicesTogether();
            }
            default -> throw new IllegalStateException();
        }
    }

    @Override
    public String apiBase() {
        return "http://127.0.0.1:" + ports.api() + "/";
    }

    @Override
    public Map<String, Integer> servicePorts() {
        Map<String, Integer> p = new LinkedHashMap<>();
        p.put("api-service", ports.apiManagement());
        p.put("dispatcher", ports.dispatcher());
        if (shape == Shape.TWO_DISPATCHERS) {
            p.put("dispatcher-2", ports.dispatcher2());
        }
        p.put("agent-gateway", ports.gatewayManagement());
        p.put("agent-consumer", ports.agent());
        return p;
    }

    /** The instance ids the agent registered (through the launcher's activation), as its health names them. */
    @Override
    public List<String> instances() {
        List<String> ids = launcher().instanceIds();
        if (ids.isEmpty()) {
            throw new IllegalStateException("the agent names no instances");
        }
        return ids;
    }

    @Override
    public void kill(String part) throws Exception {
        long pid = pidOf(part);
        ProcessHandle p = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(part + " is not running"));
        p.destroyForcibly(); // SIGKILL
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcScan.alive(pid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(part + " (pid " + pid + ") survived SIGKILL");
            }
            Thread.sleep(50);
        }
        if (part.startsWith("kafka-")) {
            deadBrokers.add(Integer.parseInt(part.substring("kafka-".length())));
        }
    }

    @Override
    public void start(String part) throws Exception {
        if (part.equals("dispatcher-2")) {
            startSecondDispatcher();
        } else if (part.startsWith("kafka-")) {
            throw new UnsupportedOperationException("a cluster broker stays dead");
        } else {
            launcher().start(part);
        }
    }

    @Override
    public String activeController() throws Exception {
        try (Admin admin = Admin.create(adminConfig())) {
            int leader = admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
            return "kafka-" + leader;
        }
    }

    @Override
    public Properties brokerConfig(String broker) throws IOException {
        return KraftCluster.nodeConfig(run.resolve("cluster"), Integer.parseInt(broker.substring("kafka-".length())));
    }

    @Override
    public Verified verify() {
        Map<String, String> env = env();
        env.put("STOPPLANE_KAFKA_BOOTSTRAP", bootstrap());
        try {
            Path out = Files.createTempFile("chaos-verify", ".log");
            try {
                Process p = new Launcher(LaunchConfig.of(scratch, env), output()).auditCommand(List.of("verify"), false)
                        .redirectErrorStream(true).redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                if (!p.waitFor(180, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Verified(false, "audit verify did not finish within 180 s");
                }
                String last = Files.readString(out).lines().filter(l -> !l.isBlank()).reduce((a, b) -> b)
                        .orElse("(no output)");
                return new Verified(p.exitValue() == 0, last.strip());
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException | RuntimeException e) {
            return new Verified(false, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verified(false, "interrupted");
        }
    }

    @Override
    public void down() {
        try {
            if (runDir != null && Files.isDirectory(run.resolve("logs"))) {
                Path logs = Files.createDirectories(runDir.resolve("logs"));
                try (Stream<Path> files = Files.list(run.resolve("logs"))) {
                    for (Path f : files.toList()) {
                        Files.copy(f, logs.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            launcher().down();
        } catch (Exception e) {
            log.accept("the launcher's down failed: " + e);
        }
        // what the launcher does not know (its sweep finds them by the marker too)
        for (long pid : ownPids.values()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Override
    public List<String> leftovers() {
        List<String> left = new ArrayList<>(ProcScan.withCommandLineOrEnvironment("STOPPLANE_RUN_DIR=" + run + "\0"));
        ProcScan.withCommandLine("-Dstopplane.run.dir=" + run + "\0").stream().filter(p -> !left.contains(p))
                .forEach(left::add);
        return left;
    }

    @Override
    public String description() {
        return switch (shape) {
            case SINGLE -> "bin/stopplane up -d: 1 broker (127.0.0.1:" + ports.kafka() + "), api, dispatcher, agent";
            case TWO_DISPATCHERS -> "bin/stopplane up -d + a second dispatcher (same application id)";
            case CLUSTER -> "3 KRaft brokers (" + ports.broker(1) + "/" + ports.broker(2) + "/" + ports.broker(3)
                    + ", RF 3, min.insync.replicas=2) + bin/stopplane start of each service";
        };
    }

    @Override
    public String bootstrap() {
        if (shape != Shape.CLUSTER) {
            return "127.0.0.1:" + ports.kafka();
        }
        List<String> alive = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            if (!deadBrokers.contains(n)) {
                alive.add("127.0.0.1:" + ports.broker(n));
            }
        }
        return String.join(",", alive);
    }

    /** As the stack's {@code admin}: the launcher's credentials file (made on the first start of the broker). */
    @Override
    public Map<String, Object> adminConfig() throws IOException {
        Map<String, Object> config = new LinkedHashMap<>(KafkaLogin.scram(KafkaAccess.ADMIN,
                passwords().get(KafkaAccess.ADMIN)));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return config;
    }

    // -----------------------------------------------------------------------------------------------------------------

    /** The launcher's Kafka credentials file ({@code bin/stopplane} and the cluster shape make it the same way). */
    private Map<String, String> passwords() throws IOException {
        return KafkaAccessSetup.credentials(run.resolve("kafka-credentials"));
    }

    private long pidOf(String part) throws IOException {
        Long own = ownPids.get(part);
        if (own != null) {
            return own;
        }
        Path f = run.resolve("pids").resolve(part + ".pid");
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException(part + " has no pid file");
        }
        return Long.parseLong(Files.readString(f).strip());
    }

    private String markEnv() {
        return "STOPPLANE_RUN_DIR=" + run;
    }

    private String markArg() {
        return "-Dstopplane.run.dir=" + run;
    }

    private void startSecondDispatcher() throws Exception {
        Path state = Files.createDirectories(run.resolve("dispatcher-2"));
        Files.createDirectories(run.resolve("logs"));
        Map<String, String> env = env();
        env.put("STOPPLANE_KAFKA_BOOTSTRAP", bootstrap());
        env.put("STOPPLANE_DISPATCHER_PORT", String.valueOf(ports.dispatcher2()));
        env.put("STOPPLANE_DISPATCHER_STATE_DIR", state.toString());
        env.putAll(launcher().kafkaLogin("dispatcher"));
        long pid = detached(List.of(javaBin, "-Xms64m", "-Xmx512m", markArg(), "-jar",
                scratch.resolve("dispatcher/target/dispatcher-" + Build.version() + ".jar").toString()), env,
                run.resolve("logs/dispatcher-2.log"));
        ownPids.put("dispatcher-2", pid);
        awaitHealthy("dispatcher-2", ports.dispatcher2(), pid, Duration.ofSeconds(180));
    }

    /** The three nodes of the cluster shape ({@link KraftCluster}) from the fetched broker jars; returns once all run. */
    private void startCluster() throws Exception {
        Map<String, String> passwords = passwords();
        KraftCluster cluster = new KraftCluster(root, run.resolve("cluster"), run.resolve("logs"),
                run.resolve("broker/lib") + "/*", ports, passwords);
        String clusterId = cluster.start((command, consoleLog) -> detached(command, env(), consoleLog),
                List.of(markArg()));
        KraftCluster.NODES.forEach(n -> ownPids.put("kafka-" + n, cluster.pid(n)));
        // the launcher's own view: broker 1 is its "kafka" (status, start's warning, down)
        Files.createDirectories(run.resolve("pids"));
        Files.writeString(run.resolve("pids/kafka.pid"), ownPids.get("kafka-1") + "\n");
        try (Admin admin = KafkaAccessSetup.admin(bootstrap(), passwords)) {
            KafkaAccessSetup.apply(admin, passwords);
        }
        log.accept("three brokers up (cluster " + clusterId + "), the Kafka users and ACLs applied");
    }

    /**
     * The launcher's {@code start <service>} for the api-service, the dispatcher and the gateway at once (each waits for
     * its own health), then for the agent: its start registers it through an activation the api-service creates
     * (CreateActivation), and fails at once if the api-service does not answer yet.
     */
    private void startServicesTogether() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (String s : List.of("api-service", "dispatcher", "agent-gateway")) {
            Thread t = new Thread(() -> {
                try {
                    launcher().start(s);
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        launcher().start("agent-consumer");
    }

    private void awaitHealthy(String part, int port, long pid, Duration within) throws InterruptedException {
        Rpc rpc = new Rpc("http://127.0.0.1:" + port + "/", null);
        long deadline = System.nanoTime() + within.toNanos();
        while (!"UP".equals(Rpc.status(rpc.health(port)))) {
            if (!ProcScan.alive(pid)) {
                throw new IllegalStateException(part + " exited during start-up; see " + run.resolve("logs"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(part + " not healthy after " + within.toSeconds() + " s");
            }
            Thread.sleep(500);
        }
    }

    private void requireFree() {
        List<Integer> wanted = new ArrayList<>(List.of(ports.api(), ports.apiManagement(), ports.dispatcher(),
                ports.agent(), ports.gateway(), ports.gatewayManagement()));
        if (shape == Shape.TWO_DISPATCHERS) {
            wanted.add(ports.dispatcher2());
        }
        int brokers = shape == Shape.CLUSTER ? 3 : 1;
        for (int n = 1; n <= brokers; n++) {
            wanted.add(ports.broker(n));
            wanted.add(ports.controller(n));
        }
        for (int port : wanted) {
            if (io.stopplane.stack.Ports.listening(port, Duration.ofMillis(300))) {
                throw new IllegalStateException("port " + port + " is in use: chaos needs " + wanted
                        + " (STOPPLANE_CHAOS_API_PORT / STOPPLANE_CHAOS_KAFKA_PORT move them)");
            }
        }
    }

    /** The launcher's environment: ours only, none of the caller's STOPPLANE_* settings. */
    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        System.getenv().forEach((k, v) -> {
            if (!k.startsWith("STOPPLANE_")) {
                env.put(k, v);
            }
        });
        env.put("STOPPLANE_API_PORT", String.valueOf(ports.api()));
        env.put("STOPPLANE_API_MANAGEMENT_PORT", String.valueOf(ports.apiManagement()));
        env.put("STOPPLANE_DISPATCHER_PORT", String.valueOf(ports.dispatcher()));
        env.put("STOPPLANE_AGENT_PORT", String.valueOf(ports.agent()));
        env.put("STOPPLANE_KAFKA_PORT", String.valueOf(ports.kafka()));
        env.put("STOPPLANE_KAFKA_CONTROLLER_PORT", String.valueOf(ports.controller(1)));
        env.put("STOPPLANE_GATEWAY_PORT", String.valueOf(ports.gateway()));
        env.put("STOPPLANE_GATEWAY_MANAGEMENT_PORT", String.valueOf(ports.gatewayManagement()));
        if (shape == Shape.CLUSTER) {
            env.put("STOPPLANE_TOPIC_REPLICATION", "3");
        }
        return env;
    }

    /** The launcher on the scratch root, with this stack's ports; its lines go to the run's launcher.log. */
    private Launcher launcher() {
        return new Launcher(LaunchConfig.of(scratch, env()), output());
    }

    /** The run's launcher.log (one stream per run), or nowhere before the first run. */
    private synchronized Launcher.Out output() {
        if (outDir != runDir || out == null) {
            if (out != null) {
                out.out().close();
            }
            PrintStream to = new PrintStream(OutputStream.nullOutputStream());
            if (runDir != null) {
                try {
                    to = new PrintStream(new FileOutputStream(Files.createDirectories(runDir).resolve("launcher.log")
                            .toFile(), true), true, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            out = new Launcher.Out(to, to);
            outDir = runDir;
        }
        return out;
    }

    /** Starts a process in a session of its own, marked as the launcher marks what it starts; returns its pid. */
    private long detached(List<String> command, Map<String, String> env, Path logFile) throws IOException {
        List<String> full = new ArrayList<>(List.of("setsid", "env", markEnv()));
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).directory(run.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start().pid(); // setsid execs (the JVM's child is no group leader): this is the pid of the java
    }

    static void deleteTree(Path p) {
        try {
            Launcher.deleteTree(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
