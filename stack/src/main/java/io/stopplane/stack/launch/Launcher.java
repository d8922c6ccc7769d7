package io.stopplane.stack.launch;

import io.stopplane.access.KafkaAccess;
import io.stopplane.access.KafkaAccessSetup;
import io.stopplane.model.sign.Percent;
import io.stopplane.model.sign.SignatureV1;
import io.stopplane.stack.KraftNode;
import io.stopplane.stack.Ports;
import io.stopplane.stack.ServiceProcess;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code bin/stopplane}: a real Apache Kafka broker (KRaft, single node) plus the four services, all on 127.0.0.1,
 * state under {@code <root>/.stopplane/} (docs/running.md). The bash script builds this module and execs
 * {@link #main}; chaos's {@code LauncherStack} drives an instance on a scratch root of its own.
 */
public final class Launcher {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern STATUS = Pattern.compile("\"status\" *: *\"([A-Z_]*)\"");
    private static final Pattern INSTANCE_IDS = Pattern.compile("\"instanceIds\":\\[([^]]*)]");
    private static final Pattern ACTIVATION_ID = Pattern.compile("\"ActivationId\":\"([^\"]*)\"");

    /** Where the launcher's lines go: {@code [stopplane] ...} on out, warnings and errors on err. */
    public record Out(PrintStream out, PrintStream err) {

        public void say(String line) {
            out.println("[stopplane] " + line);
            out.flush();
        }

        public void warn(String line) {
            err.println("[stopplane] WARNING: " + line);
            err.flush();
        }
    }

    private final LaunchConfig c;
    private final Out out;
    private final Detached procs;
    private final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** What this instance started, in order (an interrupted or failed {@code up} stops these). */
    private final List<String> started = new ArrayList<>();
    private boolean shuttingDown;

    public Launcher(LaunchConfig config, Out out) {
        this.c = config;
        this.out = out;
        this.procs = new Detached(config, out);
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("stopplane.root", ".")).toAbsolutePath().normalize();
        int exit;
        try {
            LaunchConfig config = LaunchConfig.of(root, System.getenv());
            // the Kafka admin client's log (the ACL setup) to a file of its own: slf4j-simple truncates the file it
            // opens, and kafka.console.log is the broker's output
            System.setProperty("org.slf4j.simpleLogger.logFile", config.logDir().resolve("kafka-access.log").toString());
            exit = new Launcher(config, new Out(System.out, System.err)).run(Command.parse(args));
        } catch (LaunchException e) {
            if (e.getMessage() != null) {
                System.err.println("[stopplane] ERROR: " + e.getMessage());
            }
            exit = e.exit();
        } catch (IOException | UncheckedIOException e) {
            System.err.println("[stopplane] ERROR: " + e);
            exit = 1;
        }
        System.out.flush();
        System.exit(exit);
    }

    public LaunchConfig config() {
        return c;
    }

    /** Runs a command; returns the exit status. */
    public int run(Command command) throws IOException {
        if (command instanceof Command.Up up) {
            up(up.detach(), up.auth(), true);
        } else if (command instanceof Command.Down) {
            down();
        } else if (command instanceof Command.Status) {
            status();
        } else if (command instanceof Command.Instances) {
            List<String> ids = instanceIds();
            if (ids.isEmpty()) {
                throw new LaunchException("the agent does not answer (bin/stopplane status)");
            }
            ids.forEach(out.out()::println);
        } else if (command instanceof Command.Start s) {
            start(s.part());
        } else if (command instanceof Command.Logs l) {
            return logs(l.part());
        } else if (command instanceof Command.Audit a) {
            return interactive(auditCommand(a.args(), true));
        } else if (command instanceof Command.Bench b) {
            return new Bench(this, Command.BenchArgs.parse(b.args())).run();
        } else if (command instanceof Command.Chaos ch) {
            return chaos(ch.args());
        } else if (command instanceof Command.Help) {
            out.out().print(usage());
        } else {
            out.err().print(usage());
            return 2;
        }
        return 0;
    }

    String usage() {
        return """
                Usage: bin/stopplane <command>

                  up            build what is missing, start Kafka + api-service + dispatcher + agent-gateway, create an
                                activation (CreateActivation) and start agent-consumer, which registers through the gateway;
                                wait until healthy, then stay in the foreground; Ctrl-C stops what it started
                  up -d         same, but return once everything is healthy (processes keep running)
                  up --auth F   signature mode with the credentials file F (V1/V3 signed requests, permissions, tenants);
                                the local agent's instances belong to F's first account (its activation is signed with it)
                  down          stop everything (services first, broker last) and make sure nothing is left
                  status        one line per part: state, pid, port, health
                  instances     the instance ids the local agent registered
                  start <part>  start one stopped part (kafka | api-service | dispatcher | agent-gateway | agent-consumer)
                  logs [part]   follow the log of one part, or of all parts
                  audit <cmd>   replay the topics: timeline, verify, dlt (bin/stopplane audit help)
                  bench [--quick] [--out DIR] [--target URL] [--phase NAME]
                                measure stop latency, the raw Kafka chain, API throughput, fan-out and recovery on a
                                stack of its own (or a running one), and the agent's kill path alone; writes
                                results.json, results.md, latency.png
                  chaos [--quick] [--busy [N]] [--fault LIST] [--update-docs]
                                kill real processes (SIGKILL) under load on a stack of its own and check that nothing
                                is lost (docs/reliability.md; bin/stopplane chaos --help)
                  help          this text

                State, logs and broker data live in %s/
                Reset everything: bin/stopplane down && rm -rf .stopplane
                """.formatted(c.run());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // up, start, down, status
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * {@code up [-d] [--auth F]}: builds what is missing, starts every part not running, waits until healthy, prints
     * the banner. Detached, it returns then (the parts keep running); otherwise it stays until interrupted, and a
     * shutdown hook stops what it started. A failed start stops what it started and throws.
     */
    public void up(boolean detach, Optional<Path> auth, boolean build) throws IOException {
        long t0 = System.nanoTime();
        for (Path d : List.of(c.pidDir(), c.logDir(), c.kafkaDir(), c.run().resolve("dispatcher"),
                c.run().resolve("agent"))) {
            Files.createDirectories(d);
        }
        // fail fast on ports taken by something else (parts already running are left alone)
        if (procs.pidOf(LaunchConfig.KAFKA).isEmpty()) {
            checkPortFree(c.kafkaPort(), "kafka", "STOPPLANE_KAFKA_PORT");
            checkPortFree(c.kafkaControllerPort(), "kafka controller", "STOPPLANE_KAFKA_CONTROLLER_PORT");
        }
        if (procs.pidOf("api-service").isEmpty()) {
            checkPortFree(c.apiPort(), "api-service", "STOPPLANE_API_PORT");
            checkPortFree(c.apiManagementPort(), "api-service management", "STOPPLANE_API_MANAGEMENT_PORT");
        }
        if (procs.pidOf("dispatcher").isEmpty()) {
            checkPortFree(c.dispatcherPort(), "dispatcher", "STOPPLANE_DISPATCHER_PORT");
        }
        if (procs.pidOf("agent-gateway").isEmpty()) {
            checkPortFree(c.gatewayPort(), "agent-gateway", "STOPPLANE_GATEWAY_PORT");
            checkPortFree(c.gatewayManagementPort(), "agent-gateway management", "STOPPLANE_GATEWAY_MANAGEMENT_PORT");
        }
        if (procs.pidOf("agent-consumer").isEmpty()) {
            checkPortFree(c.agentPort(), "agent-consumer", "STOPPLANE_AGENT_PORT");
        }
        // signature mode when asked, remembered for `start <part>`; else the local no-auth mode (loopback only)
        if (auth.isPresent()) {
            Files.writeString(c.authFileRef(), auth.get() + "\n");
        } else {
            Files.deleteIfExists(c.authFileRef());
        }
        Thread hook = new Thread(() -> {
            out.out().println();
            out.say("interrupted");
            stopStarted(false);
        }, "stopplane-up-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean done = false;
        try {
            if (build) {
                ensureBuilt(out.out());
            }
            startKafka();
            long t1 = System.nanoTime();
            // the agent last: its activation is created through the API, and it registers through the gateway
            for (String s : List.of("api-service", "dispatcher", "agent-gateway")) {
                startService(s);
            }
            waitHealthy(t1, List.of("api-service", "dispatcher", "agent-gateway"));
            startService("agent-consumer");
            waitHealthy(t1, List.of("agent-consumer"));
            out.out().print(banner(since(t0)));
            out.out().flush();
            done = true;
        } finally {
            if (!done) {
                removeHook(hook);
                stopStarted(true);
            }
        }
        if (detach) {
            removeHook(hook);
            out.say("running in the background; stop with: bin/stopplane down");
            return;
        }
        // foreground: Ctrl-C / SIGTERM runs the hook, which stops what this run started, services first
        out.say("press Ctrl-C to stop");
        List<String> reported = new ArrayList<>();
        while (true) {
            Detached.pause(2000);
            for (String p : startedParts()) {
                if (!reported.contains(p) && procs.pidOf(p).isEmpty() && !isShuttingDown()) {
                    out.warn(p + " has exited; see " + c.log(p));
                    reported.add(p);
                }
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs
        }
    }

    private synchronized boolean isShuttingDown() {
        return shuttingDown;
    }

    private synchronized List<String> startedParts() {
        return List.copyOf(started);
    }

    /** Stops what this instance started, services first; no more parts start afterwards. */
    private void stopStarted(boolean failedStart) {
        List<String> todo;
        synchronized (this) {
            shuttingDown = true;
            todo = List.copyOf(started);
            started.clear();
        }
        if (todo.isEmpty()) {
            return;
        }
        if (failedStart) {
            out.warn("startup did not complete: stopping what was started");
        } else {
            out.say("shutting down what this run started (" + String.join(" ", todo) + ")");
        }
        try {
            List<String> services = LaunchConfig.SERVICES.stream().filter(todo::contains).toList();
            procs.stop(services);
            if (todo.contains(LaunchConfig.KAFKA)) {
                procs.stop(List.of(LaunchConfig.KAFKA));
            }
        } catch (IOException | RuntimeException e) {
            out.warn("stopping failed: " + e);
        }
    }

    private synchronized void launched(String part) {
        started.add(part);
    }

    private synchronized void checkNotShuttingDown() {
        if (shuttingDown) {
            throw new LaunchException("interrupted", 130);
        }
    }

    /** {@code start <part>}: one stopped part, waited for until healthy. */
    public void start(String part) throws IOException {
        Files.createDirectories(c.pidDir());
        Files.createDirectories(c.logDir());
        if (part.equals(LaunchConfig.KAFKA)) {
            startKafka();
            return;
        }
        if (procs.pidOf(LaunchConfig.KAFKA).isEmpty()) {
            out.warn("kafka is not running; " + part + " will not become healthy without it");
        }
        Optional<Long> pid = procs.pidOf(part);
        if (pid.isPresent()) {
            out.say(part + " already running (pid " + pid.get() + ")");
            return;
        }
        long t = System.nanoTime();
        startService(part);
        waitHealthy(t, List.of(part));
    }

    /** {@code down}: the services, then the broker, then anything left that carries the marker. */
    public void down() throws IOException {
        procs.stop(LaunchConfig.SERVICES);
        procs.stop(List.of(LaunchConfig.KAFKA));
        procs.sweep();
        procs.removePidFiles();
        out.say("down");
    }

    public void status() {
        for (String p : LaunchConfig.PARTS) {
            Optional<Long> pid = procs.pidOf(p);
            out.out().println(statusLine(p, pid, c.port(p), pid.isPresent() ? health(p) : "-"));
        }
        out.out().flush();
    }

    static String statusLine(String part, Optional<Long> pid, int port, String health) {
        return String.format(Locale.ROOT, "%-15s %-8s pid=%-8s port=%-6s health=%s", part,
                pid.isPresent() ? "running" : "stopped", pid.map(String::valueOf).orElse("-"), port, health);
    }

    /** The pid of a running part (its pid file names a live process carrying this stack's marker). */
    public Optional<Long> pidOf(String part) {
        return procs.pidOf(part);
    }

    /** Whether any part of this stack runs. */
    public boolean anyRunning() {
        return LaunchConfig.PARTS.stream().anyMatch(p -> procs.pidOf(p).isPresent());
    }

    /** What still carries this stack's marker (after {@link #down}: nothing). */
    public List<Long> marked() {
        return procs.marked();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the broker
    // ---------------------------------------------------------------------------------------------------------------

    private void startKafka() throws IOException {
        Optional<Long> running = procs.pidOf(LaunchConfig.KAFKA);
        if (running.isPresent()) {
            out.say("kafka already running (pid " + running.get() + ")");
            return;
        }
        checkPortFree(c.kafkaPort(), "kafka", "STOPPLANE_KAFKA_PORT");
        checkPortFree(c.kafkaControllerPort(), "kafka controller", "STOPPLANE_KAFKA_CONTROLLER_PORT");
        ensureBrokerLib();
        Files.createDirectories(c.logDir());
        Map<String, String> passwords = ensureKafkaCredentials();
        prepareBroker(passwords);
        List<String> command = new ArrayList<>(List.of(javaBin));
        command.addAll(c.kafkaHeapOpts());
        command.addAll(List.of("-XX:+UseG1GC", "-Djava.awt.headless=true", c.markArg(),
                "-Dlog4j2.configurationFile=" + c.brokerTools().resolve("log4j2.xml"),
                "-Dstopplane.kafka.log=" + c.log(LaunchConfig.KAFKA), "-cp", c.brokerLib() + "/*", "kafka.Kafka",
                c.kafkaDir().resolve("server.properties").toString()));
        long t = System.nanoTime();
        Path klog = c.log(LaunchConfig.KAFKA);
        long offset = Files.exists(klog) ? Files.size(klog) : 0;
        long pid = launch(LaunchConfig.KAFKA, consoleLog(), command, Map.of());
        out.say("kafka starting (pid " + pid + ", 127.0.0.1:" + c.kafkaPort() + ") ...");
        long deadline = System.nanoTime() + c.kafkaStartTimeout().toNanos();
        while (true) {
            if (!Detached.alive(pid)) {
                showLogTail(klog, consoleLog());
                throw new LaunchException("kafka exited during startup");
            }
            // the listener socket is bound before the broker is ready: also wait for its "started" line
            if (logSince(klog, offset).contains("Kafka Server started") && portOpen(c.kafkaPort())) {
                break;
            }
            if (System.nanoTime() >= deadline) {
                showLogTail(klog, consoleLog());
                throw new LaunchException("kafka not ready after " + c.kafkaStartTimeout().toSeconds() + "s");
            }
            Detached.pause(200);
        }
        applyKafkaAccess(passwords);
        out.say("kafka ready in " + since(t) + " s");
    }

    private Path consoleLog() {
        return c.logDir().resolve("kafka.console.log");
    }

    /** The broker's jars, fetched from tools/broker's POM into {@code .stopplane/broker/lib} when it changed. */
    public void ensureBrokerLib() throws IOException {
        Path stamp = c.brokerHome().resolve("pom.cksum");
        String want = cksum(c.brokerTools().resolve("pom.xml"));
        if (Files.isRegularFile(c.brokerLib().resolve("kafka_2.13-" + LaunchConfig.KAFKA_VERSION + ".jar"))
                && Files.isRegularFile(stamp) && Files.readString(stamp).strip().equals(want)) {
            return;
        }
        long t = System.nanoTime();
        out.say("fetching Apache Kafka " + LaunchConfig.KAFKA_VERSION + " broker jars into " + c.brokerLib() + " ...");
        Files.createDirectories(c.brokerHome());
        Files.createDirectories(c.logDir());
        Path tmp = c.brokerHome().resolve("lib.tmp");
        deleteTree(tmp);
        Path fetchLog = c.logDir().resolve("broker-fetch.log");
        int exit = runTo(List.of("mvn", "-B", "-q", "-Dstyle.color=never", "-f", c.brokerTools().resolve("pom.xml")
                .toString(), "dependency:copy-dependencies", "-DoutputDirectory=" + tmp), c.root(),
                ProcessBuilder.Redirect.to(fetchLog.toFile()));
        if (exit != 0) {
            showLogTail(fetchLog);
            throw new LaunchException("could not fetch the broker jars");
        }
        deleteTree(c.brokerLib());
        Files.move(tmp, c.brokerLib());
        Files.writeString(stamp, want + "\n");
        out.say("broker jars ready in " + since(t) + " s");
    }

    /** The credentials file, on first start; a storage formatted before authentication cannot take them. */
    private Map<String, String> ensureKafkaCredentials() throws IOException {
        if (!Files.exists(c.kafkaCredentials()) && Files.exists(c.kafkaDir().resolve("data/meta.properties"))) {
            throw new LaunchException("the broker storage in " + c.kafkaDir()
                    + " predates Kafka authentication: bin/stopplane down && rm -rf " + c.kafkaDir());
        }
        return KafkaAccessSetup.credentials(c.kafkaCredentials());
    }

    /** server.properties from tools/broker's template, the storage formatted on first start (KraftNode). */
    private void prepareBroker(Map<String, String> passwords) throws IOException {
        Files.createDirectories(c.kafkaDir());
        if (!Files.exists(c.kafkaDir().resolve("data/meta.properties"))) {
            out.say("formatting KRaft storage");
        }
        try {
            KraftNode.prepare(c.root(), c.kafkaDir(), c.kafkaPort(), c.kafkaControllerPort(), passwords, javaBin,
                    c.brokerLib() + "/*", ProcessBuilder.Redirect.appendTo(consoleLog().toFile()),
                    line -> append(consoleLog(), line + "\n"));
        } catch (IllegalStateException | IOException e) {
            append(consoleLog(), e.getMessage() + "\n");
            showLogTail(consoleLog());
            throw new LaunchException("preparing the KRaft storage failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", 130);
        }
    }

    /** The services' SCRAM users and the ACL table (KafkaAccess), as admin: the broker denies what it does not allow. */
    private void applyKafkaAccess(Map<String, String> passwords) {
        try (Admin admin = KafkaAccessSetup.admin("127.0.0.1:" + c.kafkaPort(), passwords)) {
            int users = KafkaAccessSetup.apply(admin, passwords);
            append(consoleLog(), String.format(Locale.ROOT, "kafka access: %d service users, %d ACLs applied%n", users,
                    KafkaAccess.bindings().size()));
        } catch (Exception e) {
            append(consoleLog(), "applying the Kafka users and ACLs failed: " + e + "\n");
            showLogTail(consoleLog(), c.logDir().resolve("kafka-access.log"));
            throw new LaunchException("could not apply the Kafka users and ACLs");
        }
    }

    /** The login a part's Kafka clients use (environment only, never a command line). */
    public Map<String, String> kafkaLogin(String principal) throws IOException {
        String pw = Files.exists(c.kafkaCredentials()) ? KafkaAccessSetup.read(c.kafkaCredentials()).get(principal)
                : null;
        if (pw == null || pw.isEmpty()) {
            throw new LaunchException("no Kafka password for " + principal + " in " + c.kafkaCredentials());
        }
        return Map.of("STOPPLANE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "STOPPLANE_KAFKA_USERNAME", principal,
                "STOPPLANE_KAFKA_PASSWORD", pw);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the services
    // ---------------------------------------------------------------------------------------------------------------

    /** The environment a service gets beyond the launcher's (its ports, state, the broker, the auth mode). */
    Map<String, String> serviceEnv(String s) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("STOPPLANE_KAFKA_BOOTSTRAP", "127.0.0.1:" + c.kafkaPort());
        switch (s) {
            case "api-service" -> {
                env.put("STOPPLANE_API_PORT", String.valueOf(c.apiPort()));
                env.put("STOPPLANE_API_ADDRESS", "127.0.0.1");
                env.put("STOPPLANE_API_MANAGEMENT_PORT", String.valueOf(c.apiManagementPort()));
                env.put("STOPPLANE_API_MANAGEMENT_ADDRESS", "127.0.0.1");
                Optional<Path> auth = authFile();
                if (auth.isPresent()) {
                    env.put("STOPPLANE_AUTH_MODE", "signature");
                    env.put("STOPPLANE_AUTH_CREDENTIALS", auth.get().toString());
                } else {
                    env.put("STOPPLANE_AUTH_MODE", "none");
                }
            }
            case "dispatcher" -> {
                env.put("STOPPLANE_DISPATCHER_PORT", String.valueOf(c.dispatcherPort()));
                env.put("STOPPLANE_DISPATCHER_STATE_DIR", c.run().resolve("dispatcher").toString());
            }
            case "agent-gateway" -> {
                env.put("STOPPLANE_GATEWAY_PORT", String.valueOf(c.gatewayPort()));
                env.put("STOPPLANE_GATEWAY_MANAGEMENT_PORT", String.valueOf(c.gatewayManagementPort()));
            }
            case "agent-consumer" -> {
                // the agent knows the gateway and, for its first start, an activation: no broker, no account, no ids
                env.clear();
                env.put("STOPPLANE_AGENT_PORT", String.valueOf(c.agentPort()));
                env.put("STOPPLANE_AGENT_GATEWAY_URL", "ws://127.0.0.1:" + c.gatewayPort());
                env.put("STOPPLANE_AGENT_INSTANCE_COUNT", String.valueOf(c.agentInstanceCount()));
                env.put("STOPPLANE_AGENT_ACTIVATION_FILE", c.run().resolve("agent/activation.json").toString());
                env.put("STOPPLANE_AGENT_STATE_DIR", c.run().resolve("agent").toString());
            }
            default -> throw new IllegalArgumentException(s);
        }
        return env;
    }

    private void startService(String s) throws IOException {
        Optional<Long> running = procs.pidOf(s);
        if (running.isPresent()) {
            out.say(s + " already running (pid " + running.get() + ")");
            return;
        }
        Path jar = c.jar(s);
        if (!Files.isRegularFile(jar)) {
            throw new LaunchException(jar + " is missing: run 'bin/stopplane up' (builds) or 'mvn -B -DskipTests package'");
        }
        int port = c.port(s);
        switch (s) {
            case "api-service" -> {
                checkPortFree(port, s, "STOPPLANE_API_PORT");
                checkPortFree(c.apiManagementPort(), s + " management", "STOPPLANE_API_MANAGEMENT_PORT");
            }
            case "dispatcher" -> {
                checkPortFree(port, s, "STOPPLANE_DISPATCHER_PORT");
                Files.createDirectories(c.run().resolve("dispatcher"));
            }
            case "agent-gateway" -> {
                checkPortFree(port, s, "STOPPLANE_GATEWAY_PORT");
                checkPortFree(c.gatewayManagementPort(), s + " management", "STOPPLANE_GATEWAY_MANAGEMENT_PORT");
            }
            default -> {
                checkPortFree(port, s, "STOPPLANE_AGENT_PORT");
                Files.createDirectories(c.run().resolve("agent"));
                ensureActivation();
            }
        }
        Map<String, String> env = new LinkedHashMap<>(serviceEnv(s));
        // every service logs in to Kafka as its own principal; the agent has no Kafka client and gets no password
        if (!s.equals("agent-consumer")) {
            env.putAll(kafkaLogin(s));
        }
        List<String> command = new ArrayList<>(List.of(javaBin));
        command.addAll(c.serviceJavaOpts());
        command.addAll(List.of(c.markArg(), "-jar", jar.toString()));
        long pid = launch(s, c.log(s), command, env);
        out.say(s + " starting (pid " + pid + ", 127.0.0.1:" + port + ") ...");
    }

    private long launch(String part, Path log, List<String> command, Map<String, String> env) throws IOException {
        synchronized (this) {
            checkNotShuttingDown();
            long pid = procs.launch(part, log, command, env);
            launched(part);
            return pid;
        }
    }

    /**
     * The local agent registers through an activation like any other: created with CreateActivation, the same
     * (signed, in signature mode) API call any user makes. Only while the agent has no identity yet.
     */
    private void ensureActivation() throws IOException {
        Path agent = c.run().resolve("agent");
        Path activation = agent.resolve("activation.json");
        if (hasIdentity(agent.resolve("identity")) || (Files.exists(activation) && Files.size(activation) > 0)) {
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Action", "CreateActivation");
        params.put("Format", "JSON");
        params.put("RegionId", c.agentRegion());
        params.put("InstanceName", "local");
        params.put("InstanceCount", String.valueOf(c.agentInstanceCount()));
        String answer;
        try {
            answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.apiPort() + "/?" + query(params)))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new LaunchException("CreateActivation failed: the api-service does not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", 130);
        }
        if (!answer.contains("\"ActivationCode\"")) {
            throw new LaunchException("CreateActivation refused: " + answer);
        }
        if (!Files.exists(activation)) {
            Files.createFile(activation, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(activation, answer + "\n");
        Matcher m = ACTIVATION_ID.matcher(answer);
        out.say("activation " + (m.find() ? m.group(1) : "") + " created for " + c.agentInstanceCount()
                + " instance(s)");
    }

    private static boolean hasIdentity(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            return files.iterator().hasNext();
        }
    }

    /** The query of an RPC call: as it is in the local mode, signed (V1) with the --auth file's first key otherwise. */
    private String query(Map<String, String> params) throws IOException {
        Optional<Path> auth = authFile();
        if (auth.isEmpty()) {
            return String.join("&", params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
        String[] key = firstKey(Files.readString(auth.get()));
        if (key[1].isEmpty()) {
            throw new LaunchException("the first key of " + auth.get()
                    + " has no accessKeySecret in the file: up cannot sign CreateActivation with it");
        }
        return signedQuery(key[0], key[1], params, HexFormat.of().formatHex(new SecureRandom().generateSeed(16)),
                Instant.now());
    }

    /** Signature V1 (HMAC-SHA1) of a GET's parameters, as an SDK signs it: the query with its Signature. */
    static String signedQuery(String keyId, String secret, Map<String, String> params, String nonce, Instant now) {
        Map<String, String> all = new LinkedHashMap<>(params);
        all.put("AccessKeyId", keyId);
        all.put("SignatureMethod", "HMAC-SHA1");
        all.put("SignatureVersion", "1.0");
        all.put("Version", "2014-05-26");
        all.put("SignatureNonce", nonce);
        all.put("Timestamp", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC)
                .format(now));
        String signature = SignatureV1.sign(secret, SignatureV1.stringToSign("GET", all));
        return Percent.canonicalQuery(all) + "&Signature=" + Percent.encode(signature);
    }

    /**
     * The first key of a credentials file (the api-service's shape): {accessKeyId, accessKeySecret}, either empty when
     * absent. Only a secret written in the file itself can be read, not a secretFile or secretEnv one.
     */
    static String[] firstKey(String yaml) {
        String id = "";
        String secret = "";
        for (String line : yaml.split("\n")) {
            if (id.isEmpty() && line.contains("accessKeyId:")) {
                id = yamlValue(line);
            } else if (secret.isEmpty() && line.contains("accessKeySecret:")) {
                secret = yamlValue(line);
            }
        }
        return new String[] {id, secret};
    }

    private static String yamlValue(String line) {
        return line.substring(line.indexOf(':') + 1).replaceAll("[\"'\\s]", "");
    }

    private Optional<Path> authFile() throws IOException {
        if (!Files.isRegularFile(c.authFileRef())) {
            return Optional.empty();
        }
        return Optional.of(Path.of(Files.readString(c.authFileRef()).strip()));
    }

    /** Waits until every named service reports UP; fails if one exits or the timeout passes. */
    private void waitHealthy(long t, List<String> parts) {
        List<String> pending = new ArrayList<>(parts);
        long deadline = System.nanoTime() + c.serviceStartTimeout().toNanos();
        while (!pending.isEmpty()) {
            for (String s : List.copyOf(pending)) {
                checkNotShuttingDown();
                if (procs.pidOf(s).isEmpty()) {
                    showLogTail(c.log(s));
                    throw new LaunchException(s + " exited during startup");
                }
                if (serviceHealth(c.healthPort(s)).equals("UP")) {
                    out.say(s + " healthy after " + since(t) + " s");
                    pending.remove(s);
                }
            }
            if (pending.isEmpty()) {
                break;
            }
            if (System.nanoTime() >= deadline) {
                pending.forEach(s -> showLogTail(c.log(s)));
                throw new LaunchException("not healthy after " + c.serviceStartTimeout().toSeconds() + "s: "
                        + String.join(" ", pending));
            }
            Detached.pause(1000);
        }
    }

    private String health(String part) {
        if (part.equals(LaunchConfig.KAFKA)) {
            return portOpen(c.kafkaPort()) ? "UP" : "-";
        }
        return serviceHealth(c.healthPort(part));
    }

    /** The actuator status ("UP", "DOWN", ...) on a port of 127.0.0.1, or "-" if it does not answer. */
    static String serviceHealth(int port) {
        try {
            return overallStatus(ServiceProcess.health(port).body());
        } catch (IOException e) {
            return "-";
        }
    }

    /** The overall status of a health body: the last one (with details, each component's comes before it). */
    static String overallStatus(String body) {
        Matcher m = STATUS.matcher(body);
        String last = "-";
        while (m.find()) {
            last = m.group(1).isEmpty() ? "-" : m.group(1);
        }
        return last;
    }

    /** The instance ids registration gave the local agent (its health names them); empty if it does not answer. */
    public List<String> instanceIds() {
        try {
            return instanceIds(ServiceProcess.health(c.agentPort()).body());
        } catch (IOException e) {
            return List.of();
        }
    }

    static List<String> instanceIds(String healthBody) {
        Matcher m = INSTANCE_IDS.matcher(healthBody);
        if (!m.find()) {
            return List.of();
        }
        return Stream.of(m.group(1).split(",")).map(id -> id.replace("\"", "").strip()).filter(id -> !id.isEmpty())
                .toList();
    }

    String banner(String took) throws IOException {
        List<String> ids = instanceIds();
        String first = ids.isEmpty() ? "" : ids.get(0);
        String second = ids.size() > 1 ? ids.get(1) : first;
        String base = "http://127.0.0.1:" + c.apiPort() + "/";
        Optional<Path> auth = authFile();
        String mode = auth.map(a -> "signature mode: keys from " + a
                + "; sign requests with an SDK, curl gets IncompleteSignature").orElse("local mode: no authentication");
        String region = c.agentRegion();
        return """

                StopPlane is up (took %s s).
                  API            %s   (%s)
                  console        %sconsole/   (the operator's console: docs/console.md)
                  api health     http://127.0.0.1:%d/actuator/health   (Actuator, apart from the API port)
                  Kafka          127.0.0.1:%d   (SASL/SCRAM; each part's login in %s)
                  dispatcher     http://127.0.0.1:%d/actuator/health
                  agent-gateway  ws://127.0.0.1:%d   (health http://127.0.0.1:%d/actuator/health)
                  agent-consumer http://127.0.0.1:%d/actuator/health   (instances %s, region %s; bin/stopplane instances)
                  logs           %s/   (bin/stopplane logs [part])

                Try:
                  curl -s "%s?Action=RunCommand&Format=JSON&RegionId=%s&Type=RunShellScript&CommandContent=sleep%%20600&InstanceId.1=%s&InstanceId.2=%s"
                  curl -s "%s?Action=DescribeInvocations&Format=JSON&RegionId=%s&InvokeId=t-..."
                  curl -s "%s?Action=StopInvocation&Format=JSON&RegionId=%s&InvokeId=t-..."

                """.formatted(took, base, mode, base, c.apiManagementPort(), c.kafkaPort(), c.kafkaCredentials(),
                c.dispatcherPort(), c.gatewayPort(), c.gatewayManagementPort(), c.agentPort(), String.join(",", ids),
                region, c.logDir(), base, region, first, second, base, region, base, region);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // logs, audit, chaos (bench: Bench)
    // ---------------------------------------------------------------------------------------------------------------

    private int logs(Optional<String> part) throws IOException {
        List<String> files = new ArrayList<>();
        for (String p : part.map(List::of).orElse(LaunchConfig.PARTS)) {
            Path f = c.log(p);
            if (!Files.exists(f)) {
                Files.createDirectories(c.logDir());
                Files.createFile(f);
            }
            files.add(f.toString());
        }
        List<String> command = new ArrayList<>(List.of("tail", "-n", "50", "-F"));
        command.addAll(files);
        return interactive(new ProcessBuilder(command));
    }

    /**
     * The audit CLI on the broker ({@code STOPPLANE_KAFKA_BOOTSTRAP}, else this stack's), as this stack's audit
     * principal unless the caller gives a login; its jar is built if missing (the build's output on stderr, so that
     * only the audit's output is on stdout).
     */
    public ProcessBuilder auditCommand(List<String> args, boolean build) throws IOException {
        Path jar = c.jar("audit");
        if (!Files.isRegularFile(jar) && build) {
            mvnBuild(out.err(), "audit (mvn -B -q -DskipTests -pl audit -am package)", "-pl", "audit", "-am");
            requireJar(jar);
        }
        List<String> command = new ArrayList<>(List.of(javaBin));
        command.addAll(LaunchConfig.words(c.env().getOrDefault("STOPPLANE_AUDIT_JAVA_OPTS", "-XX:+UseParallelGC")));
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(c.env());
        if (!c.env().containsKey("STOPPLANE_KAFKA_USERNAME") && Files.exists(c.kafkaCredentials())) {
            pb.environment().putAll(kafkaLogin("audit"));
        }
        pb.environment().putIfAbsent("STOPPLANE_KAFKA_BOOTSTRAP", "127.0.0.1:" + c.kafkaPort());
        return pb;
    }

    /**
     * The fault suite (chaos/): it runs its own stack in a scratch root ({@code .stopplane/chaos/stack}, ports
     * 28080-28086 and 29092-29097), so it never touches what {@code up} runs. See docs/reliability.md.
     */
    private int chaos(List<String> args) throws IOException {
        Path jar = c.jar("chaos");
        if (args.stream().anyMatch(a -> List.of("-h", "--help", "help").contains(a))) {
            if (Files.isRegularFile(jar)) {
                return interactive(new ProcessBuilder(javaBin, "-jar", jar.toString(), "--help"));
            }
            out.out().println("Usage: bin/stopplane chaos [--quick] [--busy [N]] [--fault LIST] [--update-docs]; "
                    + "see docs/reliability.md");
            return 0;
        }
        ensureBuilt(out.out());
        if (!Files.isRegularFile(jar) || !Files.isRegularFile(c.jar("audit"))) {
            mvnBuild(out.out(), "chaos and audit (mvn -B -q -DskipTests -pl chaos,audit -am package)", "-pl",
                    "chaos,audit", "-am");
            requireJar(jar);
            requireJar(c.jar("audit"));
        }
        ensureBrokerLib();
        List<String> command = new ArrayList<>(List.of(javaBin));
        command.addAll(LaunchConfig.words(c.env().getOrDefault("STOPPLANE_CHAOS_JAVA_OPTS", "-Xmx256m")));
        command.addAll(List.of("-jar", jar.toString(), "--root", c.root().toString()));
        command.addAll(args);
        return interactive(new ProcessBuilder(command));
    }

    /** Runs a process on this terminal (its output ours) to its end; returns its exit status. */
    int interactive(ProcessBuilder pb) throws IOException {
        out.out().flush();
        Process p = pb.inheritIO().start();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    String java() {
        return javaBin;
    }

    Out out() {
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // building
    // ---------------------------------------------------------------------------------------------------------------

    /** Whether a service's jar is missing or a POM or a main source is newer than the oldest jar (or the last build). */
    boolean buildNeeded() throws IOException {
        FileTime oldest = null;
        for (String s : LaunchConfig.SERVICES) {
            Path jar = c.jar(s);
            if (!Files.isRegularFile(jar)) {
                return true;
            }
            FileTime t = Files.getLastModifiedTime(jar);
            if (oldest == null || t.compareTo(oldest) < 0) {
                oldest = t;
            }
        }
        // a successful build by the launcher is also a reference point (a build may leave a jar untouched when only a
        // file that does not end up in it changed)
        FileTime ref = oldest;
        Path stamp = c.run().resolve("build.stamp");
        if (Files.exists(stamp) && Files.getLastModifiedTime(stamp).compareTo(ref) > 0) {
            ref = Files.getLastModifiedTime(stamp);
        }
        return newerThan(c.root(), ref);
    }

    /** Whether {@code root/pom.xml}, a {@code root/<module>/pom.xml} or a file under {@code root/<module>/src/main} is newer. */
    static boolean newerThan(Path root, FileTime ref) throws IOException {
        List<Path> candidates = new ArrayList<>(List.of(root.resolve("pom.xml")));
        try (DirectoryStream<Path> modules = Files.newDirectoryStream(root, d -> Files.isDirectory(d)
                && !d.getFileName().toString().startsWith("."))) {
            for (Path m : modules) {
                candidates.add(m.resolve("pom.xml"));
                Path main = m.resolve("src/main");
                if (Files.isDirectory(main)) {
                    try (Stream<Path> walk = Files.walk(main)) {
                        if (walk.filter(Files::isRegularFile).anyMatch(f -> newer(f, ref))) {
                            return true;
                        }
                    }
                }
            }
        }
        return candidates.stream().filter(Files::isRegularFile).anyMatch(f -> newer(f, ref));
    }

    private static boolean newer(Path f, FileTime ref) {
        try {
            return Files.getLastModifiedTime(f).compareTo(ref) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Builds the services when {@link #buildNeeded}, unless one of them runs (it would run on the old jar). */
    void ensureBuilt(PrintStream to) throws IOException {
        if (!buildNeeded()) {
            return;
        }
        List<String> running = LaunchConfig.SERVICES.stream().filter(s -> procs.pidOf(s).isPresent()).toList();
        if (!running.isEmpty()) {
            out.warn("sources changed but " + String.join(" ", running)
                    + " still running: not rebuilding (run 'bin/stopplane down' first)");
            return;
        }
        long t = System.nanoTime();
        Files.createDirectories(c.run());
        Path stampTmp = c.run().resolve("build.stamp.tmp");
        Files.writeString(stampTmp, ""); // taken before the build: files edited during it trigger the next one
        Files.setLastModifiedTime(stampTmp, FileTime.from(Instant.now()));
        mvnBuild(to, "services (mvn -B -q -DskipTests package)");
        for (String s : LaunchConfig.SERVICES) {
            requireJar(c.jar(s));
        }
        Files.move(stampTmp, c.run().resolve("build.stamp"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        new Out(to, out.err()).say("build done in " + since(t) + " s");
    }

    /** {@code mvn -B -q -DskipTests <extra> package} in the root, its output (without bare ANSI resets) to {@code to}. */
    void mvnBuild(PrintStream to, String what, String... extra) throws IOException {
        new Out(to, out.err()).say("building " + what + " ...");
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-q", "-DskipTests"));
        command.addAll(List.of(extra));
        command.add("package");
        Process p = new ProcessBuilder(command).directory(c.root().toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                to.println(line.replace("\u001b[0m", ""));
            }
        }
        try {
            if (p.waitFor() != 0) {
                throw new LaunchException("build failed");
            }
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", 130);
        }
        to.flush();
    }

    static void requireJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new LaunchException("build did not produce " + jar);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // small helpers
    // ---------------------------------------------------------------------------------------------------------------

    private void checkPortFree(int port, String what, String variable) {
        if (portOpen(port)) {
            throw new LaunchException("port " + port + " (for " + what + ") is already in use; set " + variable
                    + " to another port");
        }
    }

    static boolean portOpen(int port) {
        return Ports.listening(port, Duration.ofSeconds(2));
    }

    /** The last 40 lines of each non-empty log, on stderr. */
    void showLogTail(Path... logs) {
        for (Path f : logs) {
            try {
                if (!Files.isRegularFile(f) || Files.size(f) == 0) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                out.err().println("----- last lines of " + f + " -----");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(out.err()::println);
            } catch (IOException | UncheckedIOException e) {
                out.err().println("(cannot read " + f + ": " + e + ")");
            }
        }
        out.err().flush();
    }

    private static String logSince(Path log, long offset) {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(offset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void append(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code cksum < file}, as the bash launcher stamped the broker's POM (so an existing stamp still matches). */
    private static String cksum(Path file) throws IOException {
        Process p = new ProcessBuilder("cksum").redirectInput(file.toFile()).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (p.waitFor() != 0) {
                throw new LaunchException("cksum failed on " + file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", 130);
        }
        return s;
    }

    private static int runTo(List<String> command, Path dir, ProcessBuilder.Redirect output) throws IOException {
        try {
            return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", 130);
        }
    }

    /** Seconds since a {@link System#nanoTime}, one decimal. */
    static String since(long t) {
        return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t) / 1e9);
    }

    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(p)) {
            Files.delete(p);
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.sorted(Collections.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
