package io.stopplane.stack.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandTest {

    @Test
    void noCommandIsHelpAndAnUnknownOneIsNotACommand() {
        assertThat(Command.parse()).isEqualTo(new Command.Help());
        assertThat(Command.parse("--help")).isEqualTo(new Command.Help());
        assertThat(Command.parse("-h")).isEqualTo(new Command.Help());
        assertThat(Command.parse("frobnicate")).isEqualTo(new Command.Unknown("frobnicate"));
    }

    @Test
    void upTakesDetachAndAnAuthFileThatExists(@TempDir Path dir) throws Exception {
        assertThat(Command.parse("up")).isEqualTo(new Command.Up(false, Optional.empty()));
        assertThat(Command.parse("up", "-d")).isEqualTo(new Command.Up(true, Optional.empty()));
        assertThat(Command.parse("up", "--detach")).isEqualTo(new Command.Up(true, Optional.empty()));
        Path keys = Files.writeString(dir.resolve("keys.yml"), "accounts: []\n");
        assertThat(Command.parse("up", "--auth", keys.toString(), "-d"))
                .isEqualTo(new Command.Up(true, Optional.of(keys.toAbsolutePath())));
        assertThatThrownBy(() -> Command.parse("up", "--auth")).hasMessage("--auth needs a credentials file");
        assertThatThrownBy(() -> Command.parse("up", "--auth", dir.resolve("none.yml").toString()))
                .hasMessage("credentials file " + dir.resolve("none.yml") + " not found");
        assertThatThrownBy(() -> Command.parse("up", "-x")).isInstanceOf(LaunchException.class)
                .hasMessage("unknown option for up: -x");
    }

    @Test
    void startAndLogsTakeAPartOfTheStack() {
        assertThat(Command.parse("start", "kafka")).isEqualTo(new Command.Start("kafka"));
        assertThat(Command.parse("logs")).isEqualTo(new Command.Logs(Optional.empty()));
        assertThat(Command.parse("logs", "dispatcher")).isEqualTo(new Command.Logs(Optional.of("dispatcher")));
        assertThatThrownBy(() -> Command.parse("start")).hasMessageStartingWith("usage: bin/stopplane start <kafka|");
        assertThatThrownBy(() -> Command.parse("start", "a", "b")).hasMessageStartingWith("usage:");
        assertThatThrownBy(() -> Command.parse("start", "broker")).hasMessage(
                "unknown part 'broker' (kafka, api-service, dispatcher, agent-gateway, agent-consumer)");
        assertThatThrownBy(() -> Command.parse("logs", "broker")).hasMessageStartingWith("unknown part 'broker'");
        LaunchException e = (LaunchException) org.assertj.core.api.Assertions.catchThrowable(
                () -> Command.parse("start", "x"));
        assertThat(e.exit()).isEqualTo(1);
    }

    @Test
    void theToolCommandsPassTheirArgumentsOn() {
        assertThat(Command.parse("audit", "timeline", "--json")).isEqualTo(
                new Command.Audit(List.of("timeline", "--json")));
        assertThat(Command.parse("chaos", "--quick", "--fault", "1,2a")).isEqualTo(
                new Command.Chaos(List.of("--quick", "--fault", "1,2a")));
        assertThat(Command.parse("bench")).isEqualTo(new Command.Bench(List.of()));
        assertThat(Command.parse("down", "ignored")).isEqualTo(new Command.Down());
    }

    @Test
    void benchSplitsItsPhasesIntoTheStackOnesAndTheStacklessOnes() {
        Command.BenchArgs all = Command.BenchArgs.parse(List.of("--quick", "--rate", "100"));
        assertThat(all.phases()).isEmpty();
        assertThat(all.stackless()).containsExactly("kill-path");
        assertThat(all.onlyStackless()).isFalse();
        assertThat(all.quick()).isTrue();
        assertThat(all.args()).containsExactly("--quick", "--rate", "100");

        Command.BenchArgs some = Command.BenchArgs.parse(List.of("--phase", "e2e,kill-path", "--phase", "raw",
                "--out", "/tmp/x"));
        assertThat(some.phases()).containsExactly("e2e", "raw");
        assertThat(some.stackless()).containsExactly("kill-path");
        assertThat(some.args()).containsExactly("--phases", "e2e,raw");
        assertThat(some.out()).contains("/tmp/x");

        Command.BenchArgs only = Command.BenchArgs.parse(List.of("--phase", "kill-path"));
        assertThat(only.onlyStackless()).isTrue();
        assertThat(only.args()).isEmpty();

        assertThat(Command.BenchArgs.parse(List.of("--target", "http://h/", "--kafka", "h:9092")).target())
                .contains("http://h/");
        assertThat(Command.BenchArgs.parse(List.of("-h")).help()).isTrue();
    }

    @Test
    void benchRefusesWhatGoesWithATargetOnItsOwnStackAndMissingValues() {
        assertThatThrownBy(() -> Command.BenchArgs.parse(List.of("--kafka", "h:9092")))
                .hasMessage("--kafka goes with --target; without it the bench runs a stack of its own");
        assertThatThrownBy(() -> Command.BenchArgs.parse(List.of("--out"))).hasMessage("--out needs a directory");
        assertThatThrownBy(() -> Command.BenchArgs.parse(List.of("--target"))).hasMessage("--target needs a URL");
        assertThatThrownBy(() -> Command.BenchArgs.parse(List.of("--phase"))).hasMessage("--phase needs a name");
    }
}
