package io.stopplane.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/stopplane bench}: measures a running StopPlane (the launcher starts one unless given {@code --target}) and
 * writes {@code results.json}, {@code results.md} and {@code latency.png} to the output directory.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (UsageException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (Exception e) {
            System.err.println("bench: failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    static final String USAGE = """
            Usage: java -jar bench.jar --target URL --kafka HOST:PORT --out DIR [--quick]
                     [--credentials FILE] [--instances ID,ID,...] [--launcher PATH/bin/stopplane] [--pids-dir DIR]
                     [--phases e2e,raw,throughput,fanout,state-writes,recovery,fleet,hostile] [--recovery-invocations N]
                     [--rate STOPS_PER_S] [--hostile-invocations N] [--gateway URL] [--fleet-agents N]
            Normally run through: bin/stopplane bench [--quick] [--out DIR] [--target URL]""";

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    static int run(String[] args) throws Exception {
        boolean quick = false;
        Path out = null;
        URI target = null;
        String kafka = null;
        Path credentials = null;
        List<String> instances = new ArrayList<>();
        Path launcher = null;
        Path pidsDir = null;
        Set<String> phases = new LinkedHashSet<>(BenchConfig.DEFAULT_PHASES);
        Integer recoveryN = null;
        Double rate = null;
        Integer hostileN = null;
        URI gateway = null;
        Integer fleetAgents = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--target" -> target = URI.create(value(args, ++i, a));
                case "--kafka" -> kafka = value(args, ++i, a);
                case "--credentials" -> credentials = Path.of(value(args, ++i, a));
                case "--instances" -> instances.addAll(Arrays.asList(value(args, ++i, a).split(",")));
                case "--launcher" -> launcher = Path.of(value(args, ++i, a));
                case "--pids-dir" -> pidsDir = Path.of(value(args, ++i, a));
                case "--phases" -> {
                    phases.clear();
                    for (String p : value(args, ++i, a).split(",")) {
                        if (!BenchConfig.ALL_PHASES.contains(p.trim())) {
                            throw new UsageException("unknown phase " + p + " (" + BenchConfig.ALL_PHASES + ")");
                        }
                        phases.add(p.trim());
                    }
                }
                case "--recovery-invocations" -> recoveryN = Integer.parseInt(value(args, ++i, a));
                case "--rate" -> rate = Double.parseDouble(value(args, ++i, a));
                case "--hostile-invocations" -> hostileN = Integer.parseInt(value(args, ++i, a));
                case "--gateway" -> gateway = URI.create(value(args, ++i, a));
                case "--fleet-agents" -> fleetAgents = Integer.parseInt(value(args, ++i, a));
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return 0;
                }
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (target == null || kafka == null || out == null) {
            throw new UsageException("--target, --kafka and --out are required");
        }
        String keyId = "bench";
        String secret = "bench";
        String account = null;
        if (credentials != null) {
            String yaml = Files.readString(credentials);
            keyId = first(yaml, "accessKeyId");
            secret = first(yaml, "accessKeySecret");
            account = firstAccount(yaml);
            if (keyId == null || secret == null) {
                throw new UsageException("no accessKeyId/accessKeySecret in " + credentials);
            }
        }
        Files.createDirectories(out);
        try (Progress progress = new Progress()) {
            if (instances.isEmpty()) {
                throw new UsageException("--instances is required (the instance ids the agent hosts)");
            }
            BenchConfig config = BenchConfig.of(quick, out, target, kafka, keyId, secret, credentials, account,
                    instances, launcher, pidsDir, phases, recoveryN);
            if (rate != null) {
                config = config.withStopRate(rate);
            }
            config = config.withFleet(gateway, fleetAgents);
            if (hostileN != null) {
                config = config.withHostileInvocations(hostileN);
            }
            return new BenchRun(config, progress).run();
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    /** The first {@code name: value} in a credentials file (the shape of credentials.example.yml). */
    static String first(String yaml, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*-?\\s*" + name + ":\\s*\"?([^\"\\s#]+)\"?").matcher(yaml);
        return m.find() ? m.group(1) : null;
    }

    static String firstAccount(String yaml) {
        Matcher m = Pattern.compile("(?m)^\\s*-\\s*id:\\s*\"?([^\"\\s#]+)\"?").matcher(yaml);
        return m.find() ? m.group(1) : null;
    }
}
