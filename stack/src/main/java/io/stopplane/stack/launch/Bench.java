package io.stopplane.stack.launch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code bin/stopplane bench}: the benchmark (bench/) on a stack of its own under {@code <state>/bench/stack}
 * (signature mode with a generated key, 400 instances on one agent), removed afterwards, or against a running stack
 * with {@code --target URL}. Phases that need no stack (kill-path) run apart from the bench jar, after it.
 */
final class Bench {

    private final Launcher launcher;
    private final LaunchConfig c;
    private final Command.BenchArgs a;

    Bench(Launcher launcher, Command.BenchArgs args) {
        this.launcher = launcher;
        this.c = launcher.config();
        this.a = args;
    }

    int run() throws IOException {
        Launcher.Out out = launcher.out();
        if (a.help()) {
            out.out().print(usage());
            return 0;
        }
        Path dir = Path.of(a.out().orElse(c.run().resolve("bench")
                .resolve(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                        .format(Instant.now())).toString()));
        Files.createDirectories(dir);
        dir = dir.toAbsolutePath().normalize();
        if (a.onlyStackless()) {
            return stackless(dir);
        }
        Path jar = c.jar("bench");
        if (!Files.isRegularFile(jar) || Launcher.newerThan(c.root().resolve("bench"), Files.getLastModifiedTime(jar))) {
            launcher.mvnBuild(out.out(), "bench (mvn -B -q -DskipTests -pl bench -am package)", "-pl", "bench", "-am");
            Launcher.requireJar(jar);
        }
        if (a.target().isPresent()) {
            List<String> command = new ArrayList<>(List.of(launcher.java(), "-Xmx512m", "-jar", jar.toString(),
                    "--target", a.target().get(), "--out", dir.toString()));
            command.addAll(a.args());
            int exit = launcher.interactive(new ProcessBuilder(command));
            if (exit != 0) {
                return exit;
            }
            return stackless(dir);
        }
        if (c.env().containsKey("STOPPLANE_STATE_DIR")) {
            throw new LaunchException("bench starts its own stack: unset STOPPLANE_STATE_DIR");
        }
        Path stack = c.run().resolve("bench/stack");
        LaunchConfig own = c.with(Map.of("STOPPLANE_STATE_DIR", stack.toString(),
                "STOPPLANE_AGENT_INSTANCE_COUNT", "400",
                // the one agent proves its 400 instances in one hello: the gateway's cap must let it
                "STOPPLANE_GATEWAY_MAXINSTANCESPERCONNECTION", "400",
                "STOPPLANE_JAVA_OPTS", c.env().getOrDefault("STOPPLANE_JAVA_OPTS", "-Xms64m -Xmx1536m")));
        Launcher left = new Launcher(own, new Launcher.Out(nowhere(), nowhere()));
        if (left.anyRunning()) {
            out.say("stopping a bench stack left running");
            left.down();
        }
        Launcher.deleteTree(stack);
        Files.createDirectories(stack);
        Path credentials = stack.resolve("credentials.yml");
        writeKey(credentials);
        boolean down = false;
        try {
            out.say("starting the bench's stack (400 instances on one agent, signature mode; log: " + dir
                    + "/stack-up.log) ...");
            try (PrintStream log = new PrintStream(Files.newOutputStream(dir.resolve("stack-up.log")), true,
                    StandardCharsets.UTF_8)) {
                Launcher up = new Launcher(own, new Launcher.Out(log, log));
                try {
                    up.up(true, Optional.of(credentials), false);
                } catch (LaunchException e) {
                    log.println("[stopplane] ERROR: " + e.getMessage());
                    log.flush();
                    List<String> lines = Files.readAllLines(dir.resolve("stack-up.log"));
                    lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(out.err()::println);
                    throw new LaunchException("the bench's stack did not start");
                }
            }
            Launcher bench = new Launcher(own, out);
            String ids = String.join(",", bench.instanceIds()); // registered through an activation, as `up` does
            // -Xmx2g: the fleet phase's 10,000 simulated agents hold a WebSocket each
            List<String> command = new ArrayList<>(List.of(launcher.java(), "-Xmx2g", "-jar", jar.toString(),
                    "--target", "http://127.0.0.1:" + own.apiPort(), "--kafka", "127.0.0.1:" + own.kafkaPort(),
                    "--gateway", "http://127.0.0.1:" + own.gatewayPort(), "--credentials", credentials.toString(),
                    "--instances", ids, "--launcher", launcherScript().toString(), "--pids-dir",
                    own.pidDir().toString(), "--out", dir.toString()));
            command.addAll(a.args());
            ProcessBuilder pb = new ProcessBuilder(command);
            // the bench's `bin/stopplane start` finds this stack; it makes topics of its own: the stack's admin
            pb.environment().putAll(Map.of("STOPPLANE_STATE_DIR", stack.toString(),
                    "STOPPLANE_AGENT_INSTANCE_COUNT", "400", "STOPPLANE_GATEWAY_MAXINSTANCESPERCONNECTION", "400",
                    "STOPPLANE_JAVA_OPTS", own.env().get("STOPPLANE_JAVA_OPTS")));
            pb.environment().putAll(bench.kafkaLogin("admin"));
            int exit = launcher.interactive(pb);
            if (exit != 0) {
                return exit;
            }
            if (!a.stackless().isEmpty()) {
                // on an idle machine: the stack goes first
                stackDown(own, dir);
                down = true;
                return stackless(dir);
            }
            return 0;
        } finally {
            if (!down) {
                stackDown(own, dir);
            }
            copyTree(stack.resolve("logs"), dir.resolve("stack-logs"));
            Launcher.deleteTree(stack);
        }
    }

    private void stackDown(LaunchConfig own, Path dir) throws IOException {
        try (PrintStream log = new PrintStream(Files.newOutputStream(dir.resolve("stack-down.log")), true,
                StandardCharsets.UTF_8)) {
            new Launcher(own, new Launcher.Out(log, log)).down();
        }
    }

    /** kill-path: the agent's supervisor alone with real processes, no broker (docs/bench/kill-path/kill-path.md). */
    private int stackless(Path dir) throws IOException {
        for (String phase : a.stackless()) {
            if (!phase.equals("kill-path")) {
                throw new LaunchException("no runner for phase " + phase);
            }
            launcher.ensureBuilt(launcher.out().out());
            String commit = git("rev-parse", "--short", "HEAD").orElse("unknown");
            if (!git("status", "--porcelain", "--untracked-files=no").orElse("").isEmpty()) {
                commit = commit + "+changes";
            }
            launcher.out().say("kill-path: the agent's supervisor alone, real processes, no broker ...");
            List<String> command = new ArrayList<>(List.of(launcher.java(), "-Xmx512m", "-cp",
                    c.jar("agent-consumer").toString(), "-Dloader.main=io.stopplane.agent.process.KillPathBench",
                    "-Dlogback.configurationFile=" + c.root().resolve("bench/kill-path-logback.xml"),
                    "-Dstopplane.killpath.log=" + dir.resolve("kill-path.log"),
                    "org.springframework.boot.loader.launch.PropertiesLauncher", "--out", dir.toString(), "--commit",
                    commit));
            if (a.quick()) {
                command.add("--quick");
            }
            int exit = launcher.interactive(new ProcessBuilder(command));
            if (exit != 0) {
                return exit;
            }
        }
        return 0;
    }

    private Optional<String> git(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", c.root().toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? Optional.of(s) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** A key for this run only: signature mode is what the SDKs (and the bench's V3 client) talk to. */
    private static void writeKey(Path file) throws IOException {
        SecureRandom random = new SecureRandom();
        byte[] id = new byte[4];
        byte[] secret = new byte[24];
        random.nextBytes(id);
        random.nextBytes(secret);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "accounts:\n  - id: \"1000000000000001\"\n    keys:\n      - accessKeyId: LTAIbench"
                + HexFormat.of().formatHex(id) + "\n        accessKeySecret: \"" + HexFormat.of().formatHex(secret)
                + "\"\n        enabled: true\n        actions: [\"*\"]\n");
    }

    /** The launcher's script, for the bench to start parts with ({@code -Dstopplane.launcher}). */
    private Path launcherScript() {
        return Path.of(System.getProperty("stopplane.launcher", c.root().resolve("bin/stopplane").toString()));
    }

    private static PrintStream nowhere() {
        return new PrintStream(java.io.OutputStream.nullOutputStream());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path f : walk.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private String usage() {
        return """
                Usage: bin/stopplane bench [--quick] [--out DIR] [--target URL] [bench options]

                  --quick       shorter runs and 100,000 instead of 1,000,000 invocations for recovery (~3 minutes, not ~10)
                  --out DIR     where results.json, results.md and latency.png go (default %1$s/bench/<time>)
                  --target URL  a running stack's API instead of a stack of the bench's own; also give --kafka HOST:PORT,
                                --credentials FILE (its keys; none: the no-auth mode) and --instances ID,... (its agent's)
                  --phase NAME  run only this phase (repeatable, or NAME,NAME): e2e, raw, throughput, fanout, recovery, fleet, hostile
                                (on the stack), kill-path (the agent's supervisor alone: no stack is started for it); default all but
                                hostile
                  bench options --recovery-invocations N, --hostile-invocations N, --rate STOPS_PER_S (for (1) and (2); default 200),
                                --fleet-agents N (simulated agents in fleet; default 10,000, 1,000 with --quick)

                Without --target it starts a stack of its own under %1$s/bench/stack on the ports of STOPPLANE_*_PORT
                (so stop the local stack first, or set other ports), with STOPPLANE_JAVA_OPTS (default -Xms64m -Xmx1536m),
                and removes it afterwards. See docs/performance.md.
                """.formatted(c.run());
    }
}
