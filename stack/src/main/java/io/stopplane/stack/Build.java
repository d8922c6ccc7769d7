package io.stopplane.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What the build made: its version (written into this module's resources by Maven from the POM, so no launcher or test
 * spells it) and where each module's jar is in a source tree.
 */
public final class Build {

    private static final String VERSION = load();

    private Build() {
    }

    /** The project's version, as the POM says. */
    public static String version() {
        return VERSION;
    }

    /** {@code <root>/<module>/target/<module>-<version>.jar}, which must exist. */
    public static Path jar(Path root, String module) {
        Path jar = root.resolve(module).resolve("target").resolve(module + "-" + VERSION + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + ": build first (mvn -B -DskipTests package)");
        }
        return jar;
    }

    private static String load() {
        try (InputStream in = Build.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the stack jar");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            if (v.isBlank() || v.contains("@")) {
                throw new IllegalStateException("version.properties was not filtered by the build: '" + v + "'");
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
