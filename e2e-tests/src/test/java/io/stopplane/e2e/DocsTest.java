package io.stopplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The front door and the code tour against the tree: every relative link of the README (and of each page under
 * {@code docs/}) names a file that exists, with its {@code #anchor} a heading of that file; the README stays short; every
 * class {@code docs/architecture.md}'s code tour names is a class of the code.
 */
class DocsTest {

    private static final Path ROOT = Path.of(System.getProperty("stopplane.root", "..")).toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern CLASS = Pattern.compile("`([A-Z][A-Za-z0-9]+)`");

    @Test
    void everyRelativeLinkOfTheReadmeAndTheDocsResolves() throws IOException {
        List<Path> pages;
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            pages = Stream.concat(Stream.of(ROOT.resolve("README.md")),
                    docs.filter(p -> p.toString().endsWith(".md"))).toList();
        }
        Set<String> broken = new TreeSet<>();
        for (Path page : pages) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String link = m.group(1);
                if (link.matches("^[a-z]+:.*")) {
                    continue;
                }
                int hash = link.indexOf('#');
                String file = hash < 0 ? link : link.substring(0, hash);
                Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                String where = ROOT.relativize(page) + " → " + link;
                if (!Files.exists(target)) {
                    broken.add(where + " (no such file)");
                } else if (hash >= 0 && target.toString().endsWith(".md")
                        && !anchors(target).contains(link.substring(hash + 1))) {
                    broken.add(where + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void theReadmeIsAFrontDoorNotAManual() throws IOException {
        assertThat(Files.readAllLines(ROOT.resolve("README.md"))).hasSizeLessThanOrEqualTo(200);
    }

    @Test
    void theCodeTourNamesClassesThatExist() throws IOException {
        String architecture = Files.readString(ROOT.resolve("docs/architecture.md"));
        int start = architecture.indexOf("## Code tour");
        assertThat(start).as("docs/architecture.md has a code tour").isNotNegative();
        int end = architecture.indexOf("\n## ", start + 1);
        String tour = architecture.substring(start, end < 0 ? architecture.length() : end);

        Set<String> named = new TreeSet<>();
        Matcher m = CLASS.matcher(tour);
        while (m.find()) {
            named.add(m.group(1));
        }
        Set<String> classes;
        try (Stream<Path> files = Files.walk(ROOT)) {
            classes = files.filter(p -> p.toString().contains("/src/") && p.toString().endsWith(".java"))
                    .map(p -> p.getFileName().toString().replace(".java", ""))
                    .collect(Collectors.toSet());
        }
        named.removeIf(name -> name.equals("StopInvocation") || name.equals("DescribeInvocations")
                || name.equals("Stopped") || name.equals("Terminated"));
        assertThat(named).as("classes the tour names").hasSizeGreaterThanOrEqualTo(15);
        assertThat(named).allSatisfy(name -> assertThat(classes).as("a class named %s", name).contains(name));
    }

    /** GitHub's anchors: the heading in lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(Path markdown) throws IOException {
        return Files.readAllLines(markdown).stream()
                .filter(line -> line.startsWith("#"))
                .map(line -> line.replaceFirst("^#+\\s*", "").toLowerCase()
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'))
                .collect(Collectors.toSet());
    }
}
