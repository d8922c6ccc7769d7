package io.stopplane.stack.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.sign.SignatureV1;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {

    @Test
    void aStatusLineIsTheBashLaunchersColumns() {
        assertThat(Launcher.statusLine("kafka", Optional.of(4242L), 9092, "UP"))
                .isEqualTo("kafka           running  pid=4242     port=9092   health=UP");
        assertThat(Launcher.statusLine("agent-consumer", Optional.empty(), 8082, "-"))
                .isEqualTo("agent-consumer  stopped  pid=-        port=8082   health=-");
    }

    @Test
    void theOverallHealthIsTheLastStatusOfTheBody() {
        assertThat(Launcher.overallStatus("{\"components\":{\"kafka\":{\"status\":\"DOWN\"}},\"status\" : \"UP\"}"))
                .isEqualTo("UP");
        assertThat(Launcher.overallStatus("<html>")).isEqualTo("-");
    }

    @Test
    void theAgentsInstancesAreTheIdsItsHealthNames() {
        assertThat(Launcher.instanceIds("{\"details\":{\"instanceIds\":[\"mi-a\", \"mi-b\",\"mi-c\"]}}"))
                .containsExactly("mi-a", "mi-b", "mi-c");
        assertThat(Launcher.instanceIds("{\"details\":{\"instanceIds\":[]}}")).isEmpty();
        assertThat(Launcher.instanceIds("{}")).isEmpty();
    }

    @Test
    void theFirstKeyOfACredentialsFileIsReadFromItsFirstEntries() {
        String yaml = """
                accounts:
                  - id: "1000000000000001"
                    keys:
                      - accessKeyId: LTAIfirst
                        accessKeySecret: "s3cret"
                      - accessKeyId: LTAIsecond
                        accessKeySecret: 'other'
                """;
        assertThat(Launcher.firstKey(yaml)).containsExactly("LTAIfirst", "s3cret");
        assertThat(Launcher.firstKey("accounts:\n  - keys:\n    - accessKeyId: K\n      secretFile: /x\n"))
                .containsExactly("K", "");
    }

    @Test
    void aSignedQueryCarriesAV1SignatureOfItsOwnParameters() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Action", "CreateActivation");
        params.put("RegionId", "cn-hangzhou");
        params.put("InstanceName", "local");
        String query = Launcher.signedQuery("LTAIkey", "secret", params, "abc",
                Instant.parse("2026-01-02T03:04:05Z"));
        Map<String, String> sent = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            sent.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        assertThat(sent).containsEntry("AccessKeyId", "LTAIkey").containsEntry("SignatureMethod", "HMAC-SHA1")
                .containsEntry("SignatureVersion", "1.0").containsEntry("SignatureNonce", "abc")
                .containsEntry("Timestamp", "2026-01-02T03:04:05Z").containsEntry("Version", "2014-05-26");
        // what the api-service's check computes from the parameters it got
        assertThat(sent.get("Signature")).isEqualTo(SignatureV1.sign("secret", SignatureV1.stringToSign("GET", sent)));
    }

    @Test
    void aBuildIsNeededWhenAJarIsMissingOrASourceOrPomIsNewer(@TempDir Path root) throws Exception {
        Launcher launcher = new Launcher(LaunchConfig.of(root, Map.of()), quiet());
        assertThat(launcher.buildNeeded()).isTrue();
        Instant then = Instant.parse("2026-01-01T00:00:00Z");
        Path source = Files.createDirectories(root.resolve("dispatcher/src/main/java")).resolve("A.java");
        Files.writeString(source, "class A {}");
        Files.setLastModifiedTime(source, FileTime.from(then));
        for (String s : LaunchConfig.SERVICES) {
            Path jar = launcher.config().jar(s);
            Files.createDirectories(jar.getParent());
            Files.writeString(jar, "");
            Files.setLastModifiedTime(jar, FileTime.from(then.plusSeconds(60)));
        }
        assertThat(launcher.buildNeeded()).isFalse();
        Files.setLastModifiedTime(source, FileTime.from(then.plusSeconds(120)));
        assertThat(launcher.buildNeeded()).isTrue();
        // a later successful build is a reference point too
        Path stamp = Files.createDirectories(root.resolve(".stopplane")).resolve("build.stamp");
        Files.writeString(stamp, "");
        Files.setLastModifiedTime(stamp, FileTime.from(then.plusSeconds(180)));
        assertThat(launcher.buildNeeded()).isFalse();
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(then.plusSeconds(240)));
        assertThat(launcher.buildNeeded()).isTrue();
    }

    @Test
    void theUsageNamesEveryCommandAndTheStateDirectory(@TempDir Path root) {
        String usage = new Launcher(LaunchConfig.of(root, Map.of()), quiet()).usage();
        for (String command : new String[] {"up ", "up -d", "up --auth F", "down", "status", "instances",
                "start <part>", "logs [part]", "audit <cmd>", "bench [--quick]", "chaos [--quick]", "help"}) {
            assertThat(usage).contains("\n  " + command);
        }
        assertThat(usage).contains("State, logs and broker data live in " + root.resolve(".stopplane") + "/");
    }

    private static Launcher.Out quiet() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new Launcher.Out(sink, sink);
    }
}
