package io.stopplane.audit;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The command line: a command and its {@code --name value} (or {@code --name=value}) options, checked per command. */
record Options(String command, Map<String, String> values) {

    private static final Set<String> COMMON = Set.of("bootstrap");
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "timeline", Set.of("invoke-id", "instance-id", "account", "since", "until", "type", "format"),
            "verify", Set.of(),
            "dlt", Set.of("topic", "format"),
            "help", Set.of());

    Options {
        values = Map.copyOf(values);
    }

    static Options parse(String... args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            return new Options("help", Map.of());
        }
        String command = args[0];
        Set<String> allowed = ALLOWED.get(command);
        if (allowed == null) {
            throw new IllegalArgumentException("unknown command '" + command + "'");
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return new Options("help", Map.of());
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            if (!allowed.contains(name) && !COMMON.contains(name)) {
                throw new IllegalArgumentException("'" + command + "' has no option --" + name);
            }
            if (values.put(name, value) != null) {
                throw new IllegalArgumentException("--" + name + " given twice");
            }
        }
        return new Options(command, values);
    }

    String get(String name) {
        return values.get(name);
    }
}
