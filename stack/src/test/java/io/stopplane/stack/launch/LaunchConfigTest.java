package io.stopplane.stack.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchConfigTest {

    private static final Path ROOT = Path.of("/src/stopplane");

    @Test
    void theDefaultsAreTheDocumentedPortsAndTheStateUnderTheRoot() {
        LaunchConfig c = LaunchConfig.of(ROOT, Map.of());
        assertThat(c.run()).isEqualTo(ROOT.resolve(".stopplane"));
        assertThat(c.pidFile("kafka")).isEqualTo(ROOT.resolve(".stopplane/pids/kafka.pid"));
        assertThat(c.log("dispatcher")).isEqualTo(ROOT.resolve(".stopplane/logs/dispatcher.log"));
        assertThat(c.kafkaDir()).isEqualTo(ROOT.resolve(".stopplane/kafka"));
        assertThat(c.kafkaCredentials()).isEqualTo(ROOT.resolve(".stopplane/kafka-credentials"));
        assertThat(c.authFileRef()).isEqualTo(ROOT.resolve(".stopplane/auth-credentials"));
        assertThat(c.brokerLib()).isEqualTo(ROOT.resolve(".stopplane/broker/lib"));
        assertThat(LaunchConfig.PARTS.stream().map(c::port)).containsExactly(9092, 8080, 8081, 8083, 8082);
        assertThat(LaunchConfig.PARTS.stream().map(c::healthPort)).containsExactly(9092, 8180, 8081, 8183, 8082);
        assertThat(c.kafkaControllerPort()).isEqualTo(9093);
        assertThat(c.agentInstanceCount()).isEqualTo(3);
        assertThat(c.agentRegion()).isEqualTo("cn-hangzhou");
        assertThat(c.serviceJavaOpts()).containsExactly("-Xms64m", "-Xmx512m");
        assertThat(c.kafkaHeapOpts()).containsExactly("-Xms256m", "-Xmx1g");
        assertThat(c.kafkaStartTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.serviceStartTimeout()).isEqualTo(Duration.ofSeconds(180));
        assertThat(c.stopTimeout()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void theMarkersNameTheStateDirectoryAsTheBashLauncherDid() {
        LaunchConfig c = LaunchConfig.of(ROOT, Map.of());
        assertThat(c.markEnv()).isEqualTo("STOPPLANE_RUN_DIR=/src/stopplane/.stopplane");
        assertThat(c.markArg()).isEqualTo("-Dstopplane.run.dir=/src/stopplane/.stopplane");
    }

    @Test
    void theEnvironmentMovesPortsStateAndOptionsButNeverPassesAMarkerOn() {
        LaunchConfig c = LaunchConfig.of(ROOT, Map.of("STOPPLANE_API_PORT", "18080", "STOPPLANE_KAFKA_PORT", "19092",
                "STOPPLANE_STATE_DIR", "/tmp/other", "STOPPLANE_JAVA_OPTS", " -Xmx1g  -Xss1m ",
                "STOPPLANE_AGENT_INSTANCE_COUNT", "400", "STOPPLANE_RUN_DIR", "/elsewhere", "PATH", "/bin"));
        assertThat(c.apiPort()).isEqualTo(18080);
        assertThat(c.kafkaPort()).isEqualTo(19092);
        assertThat(c.run()).isEqualTo(Path.of("/tmp/other"));
        // the broker's jars stay one copy per checkout
        assertThat(c.brokerLib()).isEqualTo(ROOT.resolve(".stopplane/broker/lib"));
        assertThat(c.serviceJavaOpts()).containsExactly("-Xmx1g", "-Xss1m");
        assertThat(c.agentInstanceCount()).isEqualTo(400);
        assertThat(c.env()).containsEntry("PATH", "/bin").doesNotContainKey("STOPPLANE_RUN_DIR");
        assertThat(c.with(Map.of("STOPPLANE_API_PORT", "28080")).apiPort()).isEqualTo(28080);
    }

    @Test
    void aSettingThatIsNoNumberIsAnError() {
        assertThatThrownBy(() -> LaunchConfig.of(ROOT, Map.of("STOPPLANE_API_PORT", "http")))
                .isInstanceOf(LaunchException.class).hasMessage("STOPPLANE_API_PORT is not a number: 'http'");
        assertThatThrownBy(() -> LaunchConfig.of(ROOT, Map.of("STOPPLANE_KAFKA_PORT", "70000")))
                .hasMessage("STOPPLANE_KAFKA_PORT is not a port: 70000");
    }
}
