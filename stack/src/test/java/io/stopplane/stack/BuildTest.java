package io.stopplane.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildTest {

    @Test
    void theVersionIsThePomsAsTheBuildWroteIt() throws Exception {
        // the reactor's root POM, read independently of the filtered resource
        String pom = Files.readString(Path.of("..", "pom.xml"));
        String own = pom.substring(pom.indexOf("<artifactId>stopplane</artifactId>"));
        String expected = own.substring(own.indexOf("<version>") + 9, own.indexOf("</version>"));
        assertThat(Build.version()).isEqualTo(expected).doesNotContain("@");
    }

    @Test
    void aJarIsFoundUnderItsModuleOrNamedWhenMissing(@TempDir Path root) throws Exception {
        Path jar = root.resolve("api-service/target/api-service-" + Build.version() + ".jar");
        assertThatThrownBy(() -> Build.jar(root, "api-service")).hasMessageContaining("missing " + jar);
        Files.createDirectories(jar.getParent());
        Files.createFile(jar);
        assertThat(Build.jar(root, "api-service")).isEqualTo(jar);
    }
}
