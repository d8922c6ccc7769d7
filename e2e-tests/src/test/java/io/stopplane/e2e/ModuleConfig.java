package io.stopplane.e2e;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a service module reads from its environment, taken from its own sources rather than restated: the
 * {@code ${VAR:default}} placeholders of its {@code application.yml}, the properties that file sets, and the properties
 * its {@code @ConfigurationProperties} records declare (plus {@code spring-configuration-metadata.json} where the
 * configuration processor wrote one). An environment variable binds to a property by Spring's relaxed binding:
 * {@code stopplane.agent.stop-grace} ← {@code STOPPLANE_AGENT_STOPGRACE} (or {@code STOPPLANE_AGENT_STOP_GRACE}).
 */
final class ModuleConfig {

    private static final Pattern CONFIG_PROPERTIES = Pattern.compile(
            "@ConfigurationProperties\\(\\s*(?:(?:prefix|value)\\s*=\\s*)?\"([^\"]+)\"\\s*\\)");
    private static final Pattern ANNOTATION = Pattern.compile("@[\\w.]+(\\s*\\((?:[^()\"]|\"[^\"]*\")*\\))?");
    private static final Pattern LAST_IDENTIFIER = Pattern.compile("(\\w+)\\s*$");

    private final Path module;
    private final Set<String> placeholders;
    private final Map<String, String> properties;
    private final Set<String> declared;

    private ModuleConfig(Path module, Set<String> placeholders, Map<String, String> properties, Set<String> declared) {
        this.module = module;
        this.placeholders = placeholders;
        this.properties = properties;
        this.declared = declared;
    }

    static ModuleConfig of(Path module) throws IOException {
        Path yml = module.resolve("src/main/resources/application.yml");
        String text = Files.readString(yml);
        Set<String> placeholders = new LinkedHashSet<>();
        Placeholders.names(text, placeholders);
        Map<String, String> properties = new LinkedHashMap<>();
        try (Reader in = Files.newBufferedReader(yml)) {
            flatten("", new Yaml(new SafeConstructor(new LoaderOptions())).load(in), properties);
        }
        Set<String> declared = new LinkedHashSet<>(declaredByRecords(module.resolve("src/main/java")));
        declared.addAll(declaredByMetadata(module.resolve("target/classes/META-INF/spring-configuration-metadata.json")));
        return new ModuleConfig(module, placeholders, properties, declared);
    }

    static boolean isModule(Path dir) {
        return Files.isRegularFile(dir.resolve("pom.xml"))
                && Files.isRegularFile(dir.resolve("src/main/resources/application.yml"));
    }

    String name() {
        return module.getFileName().toString();
    }

    Set<String> declaredProperties() {
        return declared;
    }

    /** The properties application.yml sets and those the module declares. */
    Set<String> propertyNames() {
        Set<String> names = new LinkedHashSet<>(properties.keySet());
        names.addAll(declared);
        return names;
    }

    /** Where {@code variable} takes effect, or empty when this module reads it nowhere. */
    List<String> readersOf(String variable) {
        List<String> readers = new ArrayList<>();
        if (placeholders.contains(variable)) {
            readers.add("${" + variable + "} in application.yml");
        }
        Stream.concat(properties.keySet().stream(), declared.stream())
                .filter(property -> envForms(property).contains(variable))
                .distinct()
                .forEach(property -> readers.add("property " + property));
        return readers;
    }

    /**
     * The value {@code property} gets in a process with {@code env}: the environment by relaxed binding first, then
     * application.yml with its placeholders resolved; null when neither sets it.
     */
    String resolve(String property, Map<String, String> env) {
        for (String form : envForms(property)) {
            if (env.get(form) != null) {
                return env.get(form);
            }
        }
        String value = properties.get(property);
        return value == null ? null : Placeholders.resolve(value, name -> {
            if (env.get(name) != null) {
                return env.get(name);
            }
            if (name.startsWith("java.")) {
                return "<" + name + ">";
            }
            return name.contains(".") ? resolve(name, env) : null;
        });
    }

    /** The environment variable names Spring binds to {@code property}: dashes removed, or (legacy) made underscores. */
    static Set<String> envForms(String property) {
        String upper = property.replace('.', '_').toUpperCase(Locale.ROOT);
        return new LinkedHashSet<>(List.of(upper.replace("-", ""), upper.replace('-', '_')));
    }

    private static void flatten(String prefix, Object node, Map<String, String> out) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                flatten(prefix + "[" + i + "]", l.get(i), out);
            }
        } else {
            out.put(prefix, node == null ? "" : String.valueOf(node));
        }
    }

    /** {@code prefix.component-name} for each component of each {@code @ConfigurationProperties} record. */
    static Set<String> declaredByRecords(Path javaRoot) throws IOException {
        Set<String> result = new LinkedHashSet<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(javaRoot)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path source : sources) {
            String src = withoutComments(Files.readString(source));
            Matcher m = CONFIG_PROPERTIES.matcher(src);
            while (m.find()) {
                int record = src.indexOf("record ", m.end());
                int type = src.indexOf("class ", m.end());
                if (record < 0 || (type >= 0 && type < record)) {
                    continue;
                }
                int open = src.indexOf('(', record);
                for (String component : splitTopLevel(src.substring(open + 1, closing(src, open)))) {
                    Matcher id = LAST_IDENTIFIER.matcher(ANNOTATION.matcher(component).replaceAll(" "));
                    if (id.find()) {
                        result.add(m.group(1) + "." + kebab(id.group(1)));
                    }
                }
            }
        }
        return result;
    }

    private static Set<String> declaredByMetadata(Path metadata) throws IOException {
        Set<String> result = new LinkedHashSet<>();
        if (Files.isRegularFile(metadata)) {
            for (JsonNode property : JsonMapper.builder().build().readTree(Files.readString(metadata)).path("properties")) {
                result.add(property.path("name").asString());
            }
        }
        return result;
    }

    private static String withoutComments(String src) {
        return src.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)(^|\\s)//[^\"\\n]*$", " ");
    }

    private static int closing(String src, int open) {
        int depth = 0;
        boolean quoted = false;
        for (int i = open; i < src.length(); i++) {
            char c = src.charAt(i);
            if (c == '"' && src.charAt(i - 1) != '\\') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced parentheses after offset " + open);
    }

    private static List<String> splitTopLevel(String components) {
        List<String> result = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < components.length(); i++) {
            char c = components.charAt(i);
            if (c == '"' && (i == 0 || components.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && (c == '(' || c == '<')) {
                depth++;
            } else if (!quoted && (c == ')' || c == '>')) {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                result.add(components.substring(start, i));
                start = i + 1;
            }
        }
        result.add(components.substring(start));
        return result.stream().filter(s -> !s.isBlank()).toList();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
