package io.stopplane.e2e;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A docker-compose.yml read the way Compose reads it, for the parts the compose test checks: YAML anchors and merge keys
 * resolved, short and long syntaxes of environment, ports, depends_on and build normalised, {@code $$} unescaped and
 * {@code ${VAR:-default}} replaced by its default (the file is checked as it runs with nothing set).
 */
record ComposeFile(Path dir, Map<String, Service> services, Map<String, Object> volumes) {

    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    static ComposeFile load(Path file) throws IOException {
        Map<String, Object> root;
        try (Reader in = Files.newBufferedReader(file)) {
            root = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
        }
        Map<String, Service> services = new LinkedHashMap<>();
        map(root.get("services")).forEach((name, definition) -> services.put(name, Service.of(name, map(definition))));
        return new ComposeFile(file.getParent(), services, map(root.get("volumes")));
    }

    /** A port mapping: the container port and, when published, the host port. */
    record Port(int target, String published) {
    }

    /**
     * A build: context directory and Dockerfile, both resolved against the compose file's directory, and its build
     * arguments.
     */
    record Build(Path context, Path dockerfile, Map<String, String> args) {

        private static final Pattern ARG = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

        /**
         * The Dockerfile as this build reads it: each {@code ${NAME}} or {@code $NAME} of a build argument replaced by
         * its value (other variables, such as the entrypoint's {@code $JAVA_OPTS}, stay as they are).
         */
        String dockerfileText(Path composeDir) throws IOException {
            String text = Files.readString(composeDir.resolve(dockerfile));
            Matcher m = ARG.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                m.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(name, m.group())));
            }
            return m.appendTail(out).toString();
        }
    }

    record Service(String name, Map<String, Object> raw, Optional<String> image, Optional<Build> build,
            Map<String, String> environment, List<Port> ports, Map<String, String> dependsOn, List<String> volumes,
            Optional<String> healthcheck, String script) {

        static Service of(String name, Map<String, Object> raw) {
            return new Service(name, raw, Optional.ofNullable(raw.get("image")).map(ComposeFile::text),
                    ComposeFile.build(raw.get("build")), ComposeFile.environment(raw.get("environment")),
                    ComposeFile.ports(raw.get("ports")), ComposeFile.dependsOn(raw.get("depends_on")),
                    list(raw.get("volumes")).stream().map(ComposeFile::text).toList(),
                    ComposeFile.healthcheck(raw.get("healthcheck")), ComposeFile.script(raw));
        }

        String hostname() {
            return raw.containsKey("hostname") ? text(raw.get("hostname")) : name;
        }

        String restart() {
            return raw.containsKey("restart") ? text(raw.get("restart")) : "no";
        }

        /** The container path of a volume or bind mount, with its source and whether it is read-only. */
        Optional<Mount> mountAt(String containerPath) {
            for (String volume : volumes) {
                String[] parts = volume.split(":");
                if (parts.length >= 2 && parts[1].equals(containerPath)) {
                    return Optional.of(new Mount(parts[0], parts.length > 2 && List.of(parts[2].split(",")).contains("ro")));
                }
            }
            return Optional.empty();
        }
    }

    record Mount(String source, boolean readOnly) {

        boolean isBind() {
            return source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
        }
    }

    /** A Compose string value as the container sees it. */
    static String text(Object value) {
        Matcher m = INTERPOLATION.matcher(String.valueOf(value));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group().equals("$$") ? "$" : m.group(2) == null ? "" : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    private static Optional<Build> build(Object build) {
        if (build == null) {
            return Optional.empty();
        }
        Map<String, Object> spec = build instanceof Map<?, ?> ? map(build) : Map.of("context", build);
        String context = text(spec.getOrDefault("context", "."));
        String dockerfile = text(spec.getOrDefault("dockerfile", "Dockerfile"));
        return Optional.of(new Build(Path.of(context), Path.of(context).resolve(dockerfile),
                environment(spec.get("args"))));
    }

    private static Map<String, String> environment(Object env) {
        Map<String, String> result = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> result.put(String.valueOf(k), v == null ? null : text(v)));
        } else {
            for (Object entry : list(env)) {
                String s = text(entry);
                int eq = s.indexOf('=');
                result.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return result;
    }

    private static List<Port> ports(Object ports) {
        List<Port> result = new ArrayList<>();
        for (Object p : list(ports)) {
            if (p instanceof Map<?, ?> m) {
                result.add(new Port(Integer.parseInt(text(m.get("target"))),
                        m.get("published") == null ? null : text(m.get("published"))));
                continue;
            }
            String spec = text(p).replaceFirst("/(tcp|udp)$", "");
            int colon = spec.lastIndexOf(':');
            String published = colon < 0 ? null : spec.substring(0, colon);
            result.add(new Port(Integer.parseInt(spec.substring(colon + 1)),
                    published == null ? null : published.substring(published.lastIndexOf(':') + 1)));
        }
        return result;
    }

    private static Map<String, String> dependsOn(Object dependsOn) {
        Map<String, String> result = new LinkedHashMap<>();
        if (dependsOn instanceof Map<?, ?> m) {
            m.forEach((target, spec) -> result.put(String.valueOf(target),
                    text(map(spec).getOrDefault("condition", "service_started"))));
        } else {
            list(dependsOn).forEach(target -> result.put(text(target), "service_started"));
        }
        return result;
    }

    private static Optional<String> healthcheck(Object healthcheck) {
        if (healthcheck == null || Boolean.TRUE.equals(map(healthcheck).get("disable"))) {
            return Optional.empty();
        }
        Object test = map(healthcheck).get("test");
        if (test instanceof List<?> l) {
            if (l.isEmpty() || "NONE".equals(l.get(0))) {
                return Optional.empty();
            }
            return Optional.of(String.join(" ", l.subList(1, l.size()).stream().map(ComposeFile::text).toList()));
        }
        return Optional.ofNullable(test).map(ComposeFile::text);
    }

    /** Entrypoint and command as one text: for a one-shot service, the script it runs. */
    private static String script(Map<String, Object> raw) {
        List<String> parts = new ArrayList<>();
        for (String key : List.of("entrypoint", "command")) {
            Object value = raw.get(key);
            if (value instanceof List<?> l) {
                l.forEach(v -> parts.add(text(v)));
            } else if (value != null) {
                parts.add(text(value));
            }
        }
        return String.join("\n", parts);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }
}
