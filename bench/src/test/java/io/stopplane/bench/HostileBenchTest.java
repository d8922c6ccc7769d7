package io.stopplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.bench.HostileBench.Abuse;
import io.stopplane.bench.HostileBench.Honest;
import io.stopplane.bench.HostileBench.Sample;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The mixes of phase (6) and its flatness figure (the phase itself needs a whole stack and is not run here). */
class HostileBenchTest {

    @Test
    void honestCallsAreAFifthRunsAFifthStopsAndTheRestDescribes() {
        Map<Honest, Integer> count = new EnumMap<>(Honest.class);
        for (int i = 0; i < 1000; i++) {
            count.merge(HostileBench.honest(i), 1, Integer::sum);
        }
        assertThat(count.get(Honest.RUN) + count.get(Honest.RUN_RETRY)).isEqualTo(200);
        assertThat(count.get(Honest.STOP)).isEqualTo(200);
        assertThat(count.keySet()).containsExactlyInAnyOrder(Honest.values());
    }

    @Test
    void aRetryReusesTheTokenOfTheRunBeforeItAndEveryRunHasItsOwn() {
        Set<Integer> fresh = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            if (HostileBench.honest(i) == Honest.RUN) {
                assertThat(fresh.add(HostileBench.tokenOf(i))).isTrue();
            } else if (HostileBench.honest(i) == Honest.RUN_RETRY) {
                int token = HostileBench.tokenOf(i);
                assertThat(token).isLessThan(i).isGreaterThan(i - 10);
                assertThat(HostileBench.honest(token)).isEqualTo(Honest.RUN);
            }
        }
    }

    @Test
    void describesVisitEveryAccount() {
        Set<Integer> accounts = new HashSet<>();
        for (int i = 0; i < 10 * HostileBench.ACCOUNTS; i++) {
            accounts.add(HostileBench.accountOf(i));
        }
        assertThat(accounts).hasSize(HostileBench.ACCOUNTS);
    }

    @Test
    void eachAbusiveConnectionSendsEveryKindInTurnFromAnAddressThatIsNotTheHonestOne() {
        Set<String> sources = new HashSet<>();
        for (int c = 0; c < HostileBench.ABUSERS; c++) {
            Set<Abuse> kinds = new HashSet<>();
            for (long n = 0; n < Abuse.values().length; n++) {
                kinds.add(HostileBench.abuse(c, n));
            }
            assertThat(kinds).containsExactlyInAnyOrder(Abuse.values());
            sources.add(HostileBench.abuseSource(c));
        }
        assertThat(sources).hasSize(HostileBench.ABUSE_SOURCES).doesNotContain("127.0.0.1")
                .allMatch(s -> s.matches("127\\.0\\.0\\.[2-9]"));
    }

    @Test
    void theAddedAccountsAreEnabledKeysOfTheirOwn() {
        String yaml = HostileBench.extraAccounts(new String[] {"1", "2000000000000001", "2000000000000002"},
                new String[] {null, "LTAIa", "LTAIb"}, new String[] {null, "s1", "s2"});
        assertThat(yaml).doesNotContain("id: \"1\"").contains("id: \"2000000000000002\"", "accessKeyId: LTAIb",
                "accessKeySecret: \"s2\"");
        assertThat(yaml.split("enabled: true", -1)).hasSize(3);
        assertThat(yaml.split("actions: \\[\"\\*\"\\]", -1)).hasSize(3);
    }

    @Test
    void theSlopeIsInMegabytesPerMinute() {
        List<Sample> growing = List.of(new Sample(0, 100.0, 0), new Sample(60, 110.0, 0), new Sample(120, 120.0, 0));
        assertThat(HostileBench.slopeMbPerMinute(growing)).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));
        List<Sample> flat = List.of(new Sample(0, 100.0, 0), new Sample(20, 101.0, 0), new Sample(40, 99.0, 0),
                new Sample(60, 100.0, 0), new Sample(80, null, 0));
        assertThat(HostileBench.slopeMbPerMinute(flat)).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1.0));
        assertThat(HostileBench.slopeMbPerMinute(List.of(new Sample(0, 1.0, 0)))).isNull();
        HostileBench.Retention r = new HostileBench.Retention(180, 480, 100, 0, Map.of(), flat, 100.0, 0.1, 80.0,
                0.001, 440.0);
        assertThat(r.flat()).isTrue();
        HostileBench.Retention rising = new HostileBench.Retention(180, 480, 100, 0, Map.of(), growing, 110.0, 10.0,
                80.0, 0.001, 440.0);
        assertThat(rising.flat()).isFalse();
    }
}
