package io.stopplane.stack.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A {@code bin/stopplane} command line, parsed; a wrong one is a {@link LaunchException} with bash's message. */
public sealed interface Command {

    record Up(boolean detach, Optional<Path> auth) implements Command {
    }

    record Down() implements Command {
    }

    record Status() implements Command {
    }

    record Instances() implements Command {
    }

    record Start(String part) implements Command {
    }

    record Logs(Optional<String> part) implements Command {
    }

    record Audit(List<String> args) implements Command {
    }

    record Bench(List<String> args) implements Command {
    }

    record Chaos(List<String> args) implements Command {
    }

    record Help() implements Command {
    }

    /** Not a command: the usage on stderr, exit 2. */
    record Unknown(String name) implements Command {
    }

    static Command parse(String... argv) {
        if (argv.length == 0) {
            return new Help();
        }
        List<String> rest = Arrays.asList(argv).subList(1, argv.length);
        return switch (argv[0]) {
            case "up" -> up(rest);
            case "down" -> new Down();
            case "status" -> new Status();
            case "instances" -> new Instances();
            case "start" -> {
                if (rest.size() != 1) {
                    throw new LaunchException(
                            "usage: bin/stopplane start <kafka|api-service|dispatcher|agent-gateway|agent-consumer>");
                }
                yield new Start(part(rest.get(0)));
            }
            case "logs" -> new Logs(rest.isEmpty() ? Optional.empty() : Optional.of(part(rest.get(0))));
            case "audit" -> new Audit(List.copyOf(rest));
            case "bench" -> new Bench(List.copyOf(rest));
            case "chaos" -> new Chaos(List.copyOf(rest));
            case "help", "-h", "--help" -> new Help();
            default -> new Unknown(argv[0]);
        };
    }

    private static Up up(List<String> args) {
        boolean detach = false;
        Path auth = null;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "-d", "--detach" -> detach = true;
                case "--auth" -> {
                    if (i + 1 >= args.size() || args.get(i + 1).isEmpty()) {
                        throw new LaunchException("--auth needs a credentials file");
                    }
                    Path f = Path.of(args.get(++i));
                    if (!Files.isRegularFile(f)) {
                        throw new LaunchException("credentials file " + f + " not found");
                    }
                    auth = f.toAbsolutePath().normalize();
                }
                default -> throw new LaunchException("unknown option for up: " + args.get(i));
            }
        }
        return new Up(detach, Optional.ofNullable(auth));
    }

    static String part(String p) {
        if (!LaunchConfig.PARTS.contains(p)) {
            throw new LaunchException(
                    "unknown part '" + p + "' (kafka, api-service, dispatcher, agent-gateway, agent-consumer)");
        }
        return p;
    }

    /**
     * {@code bin/stopplane bench}'s own options: the rest goes to the bench jar.
     *
     * @param phases the stack phases (for the bench jar's --phases), empty for all
     * @param stackless the phases without a stack that run after it (kill-path)
     * @param onlyStackless no stack phase was asked for: only the stackless ones run
     */
    record BenchArgs(Optional<String> out, Optional<String> target, List<String> phases, List<String> stackless,
            boolean onlyStackless, boolean quick, boolean help, List<String> args) {

        static final List<String> STACKLESS_PHASES = List.of("kill-path");

        static BenchArgs parse(List<String> argv) {
            String out = null;
            String target = null;
            List<String> phases = new ArrayList<>();
            List<String> args = new ArrayList<>();
            boolean quick = false;
            for (int i = 0; i < argv.size(); i++) {
                String a = argv.get(i);
                switch (a) {
                    case "--out" -> out = value(argv, ++i, "--out needs a directory");
                    case "--target" -> target = value(argv, ++i, "--target needs a URL");
                    case "--phase" -> phases.addAll(Arrays.stream(value(argv, ++i, "--phase needs a name").split(","))
                            .filter(s -> !s.isEmpty()).toList());
                    case "--quick" -> {
                        quick = true;
                        args.add(a);
                    }
                    case "-h", "--help" -> {
                        return new BenchArgs(Optional.empty(), Optional.empty(), List.of(), List.of(), false, false,
                                true, List.of());
                    }
                    default -> args.add(a);
                }
            }
            List<String> stack = phases.stream().filter(p -> !STACKLESS_PHASES.contains(p)).toList();
            List<String> stackless = phases.stream().filter(STACKLESS_PHASES::contains).toList();
            boolean only = false;
            if (phases.isEmpty()) {
                stackless = STACKLESS_PHASES;
            } else if (stack.isEmpty()) {
                only = true;
            } else {
                args.add("--phases");
                args.add(String.join(",", stack));
            }
            if (target == null && !only) {
                for (String a : args) {
                    if (List.of("--kafka", "--credentials", "--instances", "--launcher", "--pids-dir").contains(a)) {
                        throw new LaunchException(a + " goes with --target; without it the bench runs a stack of its own");
                    }
                }
            }
            return new BenchArgs(Optional.ofNullable(out), Optional.ofNullable(target), stack, stackless, only, quick,
                    false, List.copyOf(args));
        }

        private static String value(List<String> argv, int i, String missing) {
            if (i >= argv.size() || argv.get(i).isEmpty()) {
                throw new LaunchException(missing);
            }
            return argv.get(i);
        }
    }
}
