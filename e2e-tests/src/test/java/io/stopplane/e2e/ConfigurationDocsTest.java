package io.stopplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docs/configuration.md} against the code, both ways: every property of a service's
 * {@code @ConfigurationProperties} (the metadata {@code spring-boot-configuration-processor} generates when the service
 * compiles) has a row, and every {@code stopplane.*} property a row of that service's table names exists (a map's
 * entries, such as {@code stopplane.api.regions.<id>.name}, count as the map's). A service that depends on
 * {@code kafka-support} binds that module's properties too ({@code stopplane.topics.*}), so they are the service's.
 */
class ConfigurationDocsTest {

    private static final Path ROOT = Path.of(System.getProperty("stopplane.root", "..")).toAbsolutePath().normalize();
    private static final Pattern ROW_PROPERTY = Pattern.compile("^\\| `(stopplane\\.[^`]+)`", Pattern.MULTILINE);

    @ParameterizedTest
    @ValueSource(strings = {"api-service", "dispatcher", "agent-gateway", "agent-consumer"})
    void everyPropertyOfTheServiceIsDocumentedAndEveryDocumentedOneExists(String module) throws IOException {
        Set<String> properties = properties(module);
        assertThat(properties).as("metadata of %s", module).isNotEmpty();
        String docs = Files.readString(ROOT.resolve("docs/configuration.md"));
        String table = table(docs, module);

        List<String> undocumented = properties.stream()
                .filter(p -> !docs.contains("`" + p + "`") && !docs.contains("`" + p + ".")).toList();
        assertThat(undocumented).as("properties of %s missing from docs/configuration.md", module).isEmpty();

        List<String> unknown = new ArrayList<>();
        Matcher rows = ROW_PROPERTY.matcher(table);
        while (rows.find()) {
            String named = rows.group(1);
            if (properties.stream().noneMatch(p -> named.equals(p) || named.startsWith(p + "."))) {
                unknown.add(named);
            }
        }
        assertThat(unknown).as("rows of %s's table in docs/configuration.md naming no property of it", module)
                .isEmpty();
    }

    private static Set<String> properties(String module) throws IOException {
        Set<String> names = metadata(module);
        if (Files.readString(ROOT.resolve(module).resolve("pom.xml")).contains("<artifactId>kafka-support</artifactId>")) {
            names.addAll(metadata("kafka-support"));
        }
        return names;
    }

    private static Set<String> metadata(String module) throws IOException {
        Path metadata = ROOT.resolve(module).resolve("target/classes/META-INF/spring-configuration-metadata.json");
        assertThat(metadata).as("generated when %s compiles", module).isRegularFile();
        JsonNode root = JsonMapper.builder().build().readTree(metadata.toFile());
        Set<String> names = new TreeSet<>();
        root.path("properties").forEach(p -> names.add(p.path("name").asString()));
        return names;
    }

    /** The service's own table: from its bold heading to the next one. */
    private static String table(String docs, String module) {
        int start = docs.indexOf("**" + module + "**");
        assertThat(start).as("a table for %s", module).isNotNegative();
        int end = docs.indexOf("\n**", start + 1);
        return docs.substring(start, end < 0 ? docs.length() : end);
    }
}
