package io.stopplane.chaos;

import io.stopplane.access.KafkaAccess;
import io.stopplane.access.KafkaAccessSetup;
import io.stopplane.access.KafkaLogin;
import io.stopplane.stack.Build;
import io.stopplane.stack.ProcScan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The stack as {@code bin/stopplane up} runs it, in a scratch root of its own ({@code .stopplane/chaos/stack/}) so that
 * a chaos run never touches the state, the pid files or the ports of the developer's own {@code bin/stopplane up}:
 * the scratch root holds a copy of the launcher, copies of the jars, and links to {@code tools/} and the broker jars.
 * Parts are started with the launcher ({@code up -d}, {@code start <part>}) and killed with SIGKILL by the pid in
 * their pid file. What the launcher cannot start is started here the way it would: a second dispatcher, and the three
 * brokers of the cluster shape ({@link KraftCluster}).
 */
final class LauncherStack implements Stack {

    // kafka-access, common-model and stack: the launcher makes the Kafka credentials, formats the broker's storage and
    // applies the ACLs with them
    private static final List<String> JARS = List.of("api-service", "dispatcher", "agent-gateway", "agent-consumer",
            "audit", "kafka-access", "common-model", "stack");

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

    LauncherStack(Path root, Path chaosHome, Ports ports, Consumer<String> log) throws IOException {
        this.root = root;
        this.scratch = chaosHome.resolve("stack");
        this.run = scratch.resolve(".stopplane");
        this.ports = ports;
        this.log = log;
        prepare();
    }

    /** The scratch root: the launcher copied (it finds its root from its own path), the jars copied, links to the rest. */
    private void prepare() throws IOException {
        Files.createDirectories(scratch.resolve("bin"));
        Path launcher = scratch.resolve("bin/stopplane");
        Files.copy(root.resolve("bin/stopplane"), launcher, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
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
        launcher(Duration.ofSeconds(120), "down");
        for (String dir : List.of("kafka", "cluster", "dispatcher", "dispatcher-2", "agent", "pids", "logs")) {
            deleteTree(run.resolve(dir));
        }
        requireFree();
        switch (shape) {
            case SINGLE -> launcher(Duration.ofSeconds(400), "up", "-d");
            case TWO_DISPATCHERS -> {
                launcher(Duration.ofSeconds(400), "up", "-d");
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
        try {
            String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + ports.agent() + "/actuator/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"instanceIds\":\\[([^]]*)]").matcher(body);
            if (!m.find()) {
                throw new IllegalStateException("the agent names no instances: " + body);
            }
            return Stream.of(m.group(1).split(",")).map(id -> id.replace("\"", "").trim()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
            launcher(Duration.ofSeconds(300), "start", part);
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
        try {
            Map<String, String> env = env();
            env.put("STOPPLANE_KAFKA_BOOTSTRAP", bootstrap());
            Result r = exec(List.of(scratch.resolve("bin/stopplane").toString(), "audit", "verify"), env,
                    Duration.ofSeconds(180));
            String last = r.output.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("(no output)");
            return new Verified(r.exit == 0, last.strip());
        } catch (IOException e) {
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
            launcher(Duration.ofSeconds(180), "down");
        } catch (Exception e) {
            log.accept("bin/stopplane down failed: " + e);
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

    /** The environment a part logs in to the brokers with, as the launcher gives it. */
    private Map<String, String> login(String principal) throws IOException {
        return Map.of("STOPPLANE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "STOPPLANE_KAFKA_USERNAME", principal,
                "STOPPLANE_KAFKA_PASSWORD", passwords().get(principal));
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
        env.putAll(login("dispatcher"));
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
     * {@code bin/stopplane start <service>} for the api-service, the dispatcher and the gateway at once (each waits for
     * its own health), then for the agent: its start registers it through an activation the api-service creates
     * (CreateActivation), and fails at once if the api-service does not answer yet.
     */
    private void startServicesTogether() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (String s : List.of("api-service", "dispatcher", "agent-gateway")) {
            Thread t = new Thread(() -> {
                try {
                    launcher(Duration.ofSeconds(400), "start", s);
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
        launcher(Duration.ofSeconds(400), "start", "agent-consumer");
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
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 300);
                throw new IllegalStateException("port " + port + " is in use: chaos needs " + wanted
                        + " (STOPPLANE_CHAOS_API_PORT / STOPPLANE_CHAOS_KAFKA_PORT move them)");
            } catch (IOException free) {
                // nobody listens: good
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

    private void launcher(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(scratch.resolve("bin/stopplane").toString());
        command.addAll(List.of(args));
        Result r = exec(command, env(), timeout);
        if (r.exit != 0) {
            throw new IllegalStateException("bin/stopplane " + String.join(" ", args) + " failed (exit " + r.exit
                    + "):\n" + tail(r.output, 60));
        }
    }

    private record Result(int exit, String output) {
    }

    /** Runs a command to its end; its output goes to a file (a detached child may keep a pipe open forever). */
    private Result exec(List<String> command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("chaos-exec", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (runDir != null) {
                Files.createDirectories(runDir);
                Files.writeString(runDir.resolve("launcher.log"), "$ " + String.join(" ", command) + "\n" + output,
                        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            }
            return new Result(p.exitValue(), output);
        } finally {
            Files.deleteIfExists(out);
        }
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

    private static String tail(String s, int lines) {
        List<String> all = s.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(p)) {
            try {
                Files.delete(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
