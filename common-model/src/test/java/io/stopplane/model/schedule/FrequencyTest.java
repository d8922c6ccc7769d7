package io.stopplane.model.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopplane.model.error.ApiError;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrequencyTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static Frequency parse(String text) {
        return Frequency.parse(text, TIMEOUT, FrequencyLimits.ALIBABA_UTC, NOW);
    }

    private static Instant next(String text, Instant after) {
        return parse(text).next(NOW, after).orElseThrow();
    }

    @Test
    void rateFirstRunsOneIntervalAfterCreationThenEveryInterval() {
        Frequency rate = parse("rate(5m)");
        assertThat(rate.next(NOW, NOW)).contains(NOW.plusSeconds(300));
        assertThat(rate.next(NOW, NOW.plusSeconds(300))).contains(NOW.plusSeconds(600));
        assertThat(rate.next(NOW, NOW.minusSeconds(5))).contains(NOW.plusSeconds(300));
        assertThat(parse("rate( 2 h )").next(NOW, NOW)).contains(NOW.plus(Duration.ofHours(2)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rate(61s)", "rate(7d)", "rate(10080m)", "rate(1h)"})
    void rateWithinLimits(String text) {
        assertThat(parse(text)).isInstanceOf(Rate.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rate(59s)", "rate(0m)", "rate(8d)", "rate(10081m)", "rate(60s)", "rate(5)", "rate(5x)",
        "rate(-5m)", "rate 5m", "rate(5m", "rate(9999999999d)"})
    void rateOutsideLimitsOrMalformed(String text) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(InvalidFrequencyException.class);
    }

    @Test
    void rateMustBeLongerThanTimeout() {
        assertThatThrownBy(() -> Frequency.parse("rate(2m)", Duration.ofSeconds(120), FrequencyLimits.ALIBABA_UTC, NOW))
                .isInstanceOf(InvalidFrequencyException.class).hasMessageContaining("Timeout");
        assertThat(Frequency.parse("rate(2m)", Duration.ofSeconds(119), FrequencyLimits.ALIBABA_UTC, NOW)).isNotNull();
    }

    @Test
    void atUsesUtcWithoutZoneAndNamedZonesOtherwise() {
        assertThat(next("at(2026-12-24 13:15:30)", NOW)).isEqualTo(Instant.parse("2026-12-24T13:15:30Z"));
        assertThat(next("at(2026-12-24 13:15:30 Asia/Shanghai)", NOW)).isEqualTo(Instant.parse("2026-12-24T05:15:30Z"));
        assertThat(next("at(2026-12-24 13:15:30 GMT+8:00)", NOW)).isEqualTo(Instant.parse("2026-12-24T05:15:30Z"));
        assertThat(next("at(2026-12-24 13:15:30 GMT-3:30)", NOW)).isEqualTo(Instant.parse("2026-12-24T16:45:30Z"));
        assertThat(next("at(2026-12-24 13:15:30 UTC)", NOW)).isEqualTo(Instant.parse("2026-12-24T13:15:30Z"));
        assertThat(next("at(2028-02-29 00:00:00)", NOW)).isEqualTo(Instant.parse("2028-02-29T00:00:00Z"));
    }

    @Test
    void atInThePastHasRunOut() {
        Frequency at = parse("at(2026-01-01 00:00:00)");
        assertThat(at.next(NOW, NOW)).isEmpty();
        assertThat(at.exhausted(NOW, NOW)).isTrue();
        Frequency soon = parse("at(2026-12-07 10:00:01)");
        assertThat(soon.next(NOW, NOW)).isPresent();
        assertThat(soon.next(NOW, NOW.plusSeconds(1))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"at(2026-02-29 00:00:00)", "at(2026-13-01 00:00:00)", "at(2026-12-24 24:00:00)",
        "at(2026-12-24 13:15:30 GMT+08:00)", "at(2026-12-24 13:15:30 Mars/Olympus)", "at(2026-12-24 13:15:30 CST)",
        "at(2026-12-24T13:15:30)", "at(2026-12-24)", "at()", "at(2026-12-24 13:15:30 UTC UTC)"})
    void atMalformed(String text) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(InvalidFrequencyException.class);
    }

    @Test
    void cronWithYearAndZone() {
        assertThat(next("0 15 10 ? * * 2026 Asia/Shanghai", NOW)).isEqualTo(Instant.parse("2026-12-08T02:15:00Z"));
        assertThat(next("0 15 10 ? * *", NOW)).isEqualTo(Instant.parse("2026-12-07T10:15:00Z"));
        assertThat(next("0 15 10 ? * * Asia/Shanghai", NOW)).isEqualTo(Instant.parse("2026-12-08T02:15:00Z"));
        assertThat(next("0 15 10 ? * * 2027", NOW)).isEqualTo(Instant.parse("2027-01-01T10:15:00Z"));
        assertThat(next("0 0 12 ? * * GMT+8:00", NOW)).isEqualTo(Instant.parse("2026-12-08T04:00:00Z"));
    }

    @Test
    void cronDayOfWeekOneIsMonday() {
        // 2026-12-07 is a Monday
        assertThat(next("0 0 9 ? * 1", NOW)).isEqualTo(Instant.parse("2026-12-14T09:00:00Z"));
        assertThat(next("0 0 11 ? * MON", NOW)).isEqualTo(Instant.parse("2026-12-07T11:00:00Z"));
        assertThat(next("0 0 9 ? * 7", NOW)).isEqualTo(Instant.parse("2026-12-13T09:00:00Z"));
        assertThat(next("0 0 9 ? * 6-7", NOW)).isEqualTo(Instant.parse("2026-12-12T09:00:00Z"));
    }

    @Test
    void cronListsRangesAndSteps() {
        assertThat(next("0 0/15 * * * ?", NOW)).isEqualTo(Instant.parse("2026-12-07T10:15:00Z"));
        assertThat(next("30 5,40 10 * * ?", NOW)).isEqualTo(Instant.parse("2026-12-07T10:05:30Z"));
        assertThat(next("0 0 1-3 8 DEC ?", NOW)).isEqualTo(Instant.parse("2026-12-08T01:00:00Z"));
        assertThat(next("0 0 0 */10 * ?", NOW)).isEqualTo(Instant.parse("2026-12-11T00:00:00Z"));
    }

    @Test
    void cronLeapDayRunsOnlyInLeapYears() {
        assertThat(next("0 0 0 29 2 ?", NOW)).isEqualTo(Instant.parse("2028-02-29T00:00:00Z"));
        assertThat(next("0 0 0 29 2 ?", Instant.parse("2028-02-29T00:00:00Z")))
                .isEqualTo(Instant.parse("2032-02-29T00:00:00Z"));
    }

    @Test
    void cronWithPastYearHasRunOut() {
        Frequency cron = parse("0 0 0 * * ? 2025");
        assertThat(cron.next(NOW, NOW)).isEmpty();
        Frequency last = parse("0 0 0 31 12 ? 2026");
        assertThat(last.next(NOW, NOW)).contains(Instant.parse("2026-12-31T00:00:00Z"));
        assertThat(last.next(NOW, Instant.parse("2026-12-31T00:00:00Z"))).isEmpty();
    }

    @Test
    void cronSpringForwardSkipsTheMissingTimeAndKeepsTheRest() {
        // New York: 2026-03-08 02:00 EST jumps to 03:00 EDT
        Instant before = Instant.parse("2026-03-08T06:00:00Z"); // 01:00 EST
        assertThat(next("0 30 2 * * ? America/New_York", before)).isEqualTo(Instant.parse("2026-03-09T06:30:00Z"));
        assertThat(next("0 30 3 * * ? America/New_York", before)).isEqualTo(Instant.parse("2026-03-08T07:30:00Z"));
        assertThat(next("0 0 * * * ? America/New_York", Instant.parse("2026-03-08T06:00:00Z")))
                .isEqualTo(Instant.parse("2026-03-08T07:00:00Z"));
    }

    @Test
    void cronFallBackRunsAFixedTimeOnceAndAnEveryHourCronInBothPasses() {
        // Berlin: 2026-10-25 03:00 CEST goes back to 02:00 CET
        Frequency fixed = parse("0 30 2 * * ? Europe/Berlin");
        Instant first = fixed.next(NOW, Instant.parse("2026-10-24T12:00:00Z")).orElseThrow();
        assertThat(first).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(fixed.next(NOW, first)).contains(Instant.parse("2026-10-26T01:30:00Z"));

        Frequency hourly = parse("0 30 * * * ? Europe/Berlin");
        Instant a = hourly.next(NOW, Instant.parse("2026-10-25T00:00:00Z")).orElseThrow();
        Instant b = hourly.next(NOW, a).orElseThrow();
        Instant c = hourly.next(NOW, b).orElseThrow();
        assertThat(a).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(b).isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
        assertThat(c).isEqualTo(Instant.parse("2026-10-25T02:30:00Z"));
    }

    @Test
    void cronRunsMustBeTenSecondsApartAndNotCloserThanTimeout() {
        assertThatThrownBy(() -> parse("* * * * * ?")).isInstanceOf(InvalidFrequencyException.class);
        assertThatThrownBy(() -> parse("0/5 * * * * ?")).isInstanceOf(InvalidFrequencyException.class);
        assertThat(Frequency.parse("0/10 * * * * ?", Duration.ofSeconds(10), FrequencyLimits.ALIBABA_UTC, NOW))
                .isInstanceOf(Cron.class);
        assertThatThrownBy(() -> parse("0/30 * * * * ?")).isInstanceOf(InvalidFrequencyException.class)
                .hasMessageContaining("Timeout");
        assertThat(parse("0 * * * * ?")).isInstanceOf(Cron.class);
    }

    @Test
    void limitsMayBeLoweredForTests() {
        FrequencyLimits fast = new FrequencyLimits(Duration.ofSeconds(1), Duration.ofDays(7), Duration.ofSeconds(1),
                java.time.ZoneOffset.UTC);
        assertThat(Frequency.parse("rate(2s)", Duration.ofSeconds(1), fast, NOW).next(NOW, NOW))
                .contains(NOW.plusSeconds(2));
        assertThat(Frequency.parse("* * * * * ?", Duration.ofSeconds(1), fast, NOW).next(NOW, NOW))
                .contains(NOW.plusSeconds(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "0 0 0 * *", "0 0 0 * * ? 2026 UTC extra", "60 0 0 * * ?", "0 60 0 * * ?",
        "0 0 24 * * ?", "0 0 0 32 * ?", "0 0 0 * 13 ?", "0 0 0 ? * 0", "0 0 0 ? * 8", "0 0 0 L * ?", "0 0 0 15W * ?",
        "0 0 0 ? * 2#1", "0 0 0 ? * 5L", "0 0 0 30 2 ?", "0 0 0 * * ? 1969", "0 0 0 * * ? 2100",
        "0 0 0 * * ? 2026 Nowhere/City", "0 0 0 ? * 1,?", "0 5-1 0 * * ?", "0 */0 0 * * ?", "0 1,,2 0 * * ?",
        "a b c d e f", "0 0 0 * * ? GMT+08:00"})
    void cronMalformed(String text) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(InvalidFrequencyException.class)
                .satisfies(e -> assertThat(((InvalidFrequencyException) e).error()).isEqualTo(ApiError.INVALID_PARAMETER))
                .satisfies(e -> assertThat(((InvalidFrequencyException) e).apiMessage())
                        .startsWith("The specified parameter \"Frequency\" is not valid."));
    }

    @Test
    void garbageOnlyEverGivesInvalidFrequency() {
        Random random = new Random(16);
        String alphabet = "0123456789 *?,-/#LWratedsmh()GMTUC+:AsiaShang/MONJAN\t";
        for (int i = 0; i < 500; i++) {
            StringBuilder text = new StringBuilder(i % 3 == 0 ? "rate(" : i % 3 == 1 ? "at(" : "");
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                Frequency f = parse(text.toString());
                f.next(NOW, NOW);
            } catch (InvalidFrequencyException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void repeatModeRules() {
        assertThat(RepeatMode.resolve(Optional.empty(), false)).isEqualTo(RepeatMode.ONCE);
        assertThat(RepeatMode.resolve(Optional.of("Once"), true)).isEqualTo(RepeatMode.PERIOD);
        assertThat(RepeatMode.resolve(Optional.of("EveryReboot"), true)).isEqualTo(RepeatMode.PERIOD);
        assertThat(RepeatMode.resolve(Optional.of("NextRebootOnly"), false)).isEqualTo(RepeatMode.NEXT_REBOOT_ONLY);
        assertThat(RepeatMode.resolve(Optional.of("DryRun"), true)).isEqualTo(RepeatMode.DRY_RUN);
        assertThatThrownBy(() -> RepeatMode.resolve(Optional.of("Period"), false))
                .isInstanceOf(InvalidFrequencyException.class)
                .satisfies(e -> assertThat(((InvalidFrequencyException) e).error()).isEqualTo(ApiError.MISSING_PARAMETER));
        assertThatThrownBy(() -> RepeatMode.resolve(Optional.of("period"), true))
                .isInstanceOf(InvalidFrequencyException.class).hasMessageContaining("Once, Period");
    }
}
