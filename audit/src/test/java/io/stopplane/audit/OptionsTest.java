package io.stopplane.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void optionsTakeASeparateOrAnInlineValue() {
        Options o = Options.parse("timeline", "--invoke-id", "t-abc", "--format=json", "--since", "15m");

        assertThat(o.command()).isEqualTo("timeline");
        assertThat(o.get("invoke-id")).isEqualTo("t-abc");
        assertThat(o.get("format")).isEqualTo("json");
        assertThat(o.get("since")).isEqualTo("15m");
        assertThat(o.get("until")).isNull();
    }

    @Test
    void everyCommandTakesTheBootstrap() {
        assertThat(Options.parse("verify", "--bootstrap", "h:1").get("bootstrap")).isEqualTo("h:1");
        assertThat(Options.parse("dlt", "--bootstrap=h:2").get("bootstrap")).isEqualTo("h:2");
    }

    @Test
    void noArgumentsOrHelpAnywhereIsHelp() {
        assertThat(Options.parse().command()).isEqualTo("help");
        assertThat(Options.parse("--help").command()).isEqualTo("help");
        assertThat(Options.parse("timeline", "-h").command()).isEqualTo("help");
    }

    @Test
    void mistakesAreNamed() {
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("replay"))
                .withMessage("unknown command 'replay'");
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("verify", "--since", "1h"))
                .withMessage("'verify' has no option --since");
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("timeline", "--since"))
                .withMessage("--since needs a value");
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("timeline", "t-abc"))
                .withMessage("unexpected argument 't-abc'");
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("timeline", "--type", "A", "--type", "B"))
                .withMessage("--type given twice");
    }

    @Test
    void timesAreInstantsDaysOrAges() {
        assertThat(Times.parse("since", "2026-11-27T09:15:55Z", CLOCK)).isEqualTo("2026-11-27T09:15:55Z");
        assertThat(Times.parse("since", "2026-11-27T09:15:55.250Z", CLOCK)).isEqualTo("2026-11-27T09:15:55.250Z");
        assertThat(Times.parse("since", "2026-11-27T10:15:55+01:00", CLOCK)).isEqualTo("2026-11-27T09:15:55Z");
        assertThat(Times.parse("since", "2026-11-27T09:15:55", CLOCK)).isEqualTo("2026-11-27T09:15:55Z");
        assertThat(Times.parse("since", "2026-11-27", CLOCK)).isEqualTo("2026-11-27T00:00:00Z");
        assertThat(Times.parse("since", "30s", CLOCK)).isEqualTo("2026-11-27T11:59:30Z");
        assertThat(Times.parse("since", "15m", CLOCK)).isEqualTo("2026-11-27T11:45:00Z");
        assertThat(Times.parse("since", "2h", CLOCK)).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(Times.parse("since", "7d", CLOCK)).isEqualTo("2026-11-20T12:00:00Z");
        assertThat(Times.parse("since", null, CLOCK)).isNull();
        assertThatIllegalArgumentException().isThrownBy(() -> Times.parse("until", "yesterday", CLOCK))
                .withMessageStartingWith("--until 'yesterday' is not a time");
    }

    @Test
    void usageErrorsExitTwoAndHelpExitsZero() {
        assertThat(Cli.run("127.0.0.1:1", "timeline", "--since", "2h", "--until", "3h").exit())
                .isEqualTo(Audit.USAGE);
        Cli.Result help = Cli.run("127.0.0.1:1", "help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("timeline", "verify", "dlt", "--invoke-id", "--since", "--format table|json");
    }
}
