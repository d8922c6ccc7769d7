package io.stopplane.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static RunResult result(Map<String, Long> codes5xx, long noAnswer, int landed, boolean apiOutage) {
        RunResult draft = new RunResult("1-broker", "broker SIGKILL mid-load, restarted", "quick", "2026-11-27T10:00:00Z",
                60, "stack", 100, 90, 0, Map.of(), codes5xx.values().stream().mapToLong(Long::longValue).sum(),
                codes5xx, 5100, 5100, noAnswer, 0, 20, 10, landed, 0, 0, 0, true, "verify: OK",
                List.of(new RunResult.Check("a check", true, "fine")), List.of("a note"), List.of(), false);
        List<String> failures = RunResult.failures(draft, apiOutage, 0);
        return new RunResult(draft.fault(), draft.title(), draft.mode(), draft.startedAt(), draft.seconds(),
                draft.stack(), draft.requests(), draft.answered200(), draft.answered4xx(), draft.codes4xx(),
                draft.answered5xx(), draft.codes5xx(), draft.max5xxMillis(), draft.maxStopMillis(), draft.noAnswer(),
                draft.hangs(), draft.invocations(), draft.stopsAccepted(), draft.stopsLanded(), draft.wrongState(),
                draft.ranTwice(), draft.aliveAfterStop(), draft.auditOk(), draft.audit(), draft.checks(), draft.notes(),
                failures, failures.isEmpty());
    }

    @Test
    void onlyDispatchAndUnavailableAreAcceptable5xxAndEveryAcceptedStopMustLand() {
        assertThat(result(Map.of("InternalError.Dispatch", 10L), 0, 10, false).passed()).isTrue();
        assertThat(result(Map.of("InternalError", 1L), 0, 10, false).problems())
                .anyMatch(p -> p.contains("other than InternalError.Dispatch"));
        assertThat(result(Map.of(), 0, 9, false).problems()).anyMatch(p -> p.contains("did not land"));
        assertThat(result(Map.of(), 3, 10, false).passed()).as("no answer without an api outage").isFalse();
        assertThat(result(Map.of(), 3, 10, true).passed()).as("no answer while the api-service is down").isTrue();
    }

    @Test
    void theTableHasOneRowPerRunAndTheDocumentBlockIsReplacedInPlace() {
        RunResult r = result(Map.of("InternalError.Dispatch", 10L), 0, 10, false);
        String table = Report.table(List.of(r, r));
        assertThat(table.lines()).hasSize(4);
        assertThat(table).contains("| 1-broker: broker SIGKILL mid-load, restarted | quick | 100 | 90 | 0 "
                + "| 10 (InternalError.Dispatch 10; 5.1 s) | 0 | 0 | 10 | 10 | 0 | 0 | 0 | pass | **pass** |");

        String doc = "# Title\n\nbefore\n" + Report.BEGIN + "\nold table\n" + Report.END + "\nafter\n";
        String updated = Report.replaceBlock(doc, "new table\n");
        assertThat(updated).isEqualTo("# Title\n\nbefore\n" + Report.BEGIN + "\nnew table\n" + Report.END + "\nafter\n");
        assertThatThrownBy(() -> Report.replaceBlock("# no block\n", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLatestBusyRunOfAFaultIsKeptApartAndFollowsItsIdleOne(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path results) throws Exception {
        RunResult idle = result(Map.of(), 0, 10, false);
        Report.save(results, idle, false);
        Report.save(results, new RunResult(idle.fault(), idle.title(), Settings.quick().busy(2).describe(4.06),
                idle.startedAt(), idle.seconds(), idle.stack(), idle.requests(), idle.answered200(),
                idle.answered4xx(), idle.codes4xx(), idle.answered5xx(), idle.codes5xx(), idle.max5xxMillis(),
                idle.maxStopMillis(), idle.noAnswer(), idle.hangs(), idle.invocations(), idle.stopsAccepted(),
                idle.stopsLanded(), idle.wrongState(), idle.ranTwice(), idle.aliveAfterStop(), idle.auditOk(),
                idle.audit(), idle.checks(), idle.notes(), idle.problems(), idle.passed()), true);
        assertThat(Report.latest(results)).extracting(RunResult::mode)
                .containsExactly("quick", "quick, busy (2 burners); load 4.1");
        assertThat(Settings.full().describe(0.5)).isEqualTo("full; load 0.5");
    }

    @Test
    void faultsAreChosenByNumberOrName() {
        assertThat(Fault.select("1,3")).containsExactly(Fault.BROKER, Fault.AGENT);
        assertThat(Fault.select("2")).containsExactly(Fault.DISPATCHER, Fault.TWO_DISPATCHERS);
        assertThat(Fault.select("agent,cluster")).containsExactly(Fault.AGENT, Fault.CLUSTER);
        assertThat(Fault.select("6")).containsExactly(Fault.GATEWAY);
        assertThat(Fault.select("gateway")).containsExactly(Fault.GATEWAY);
        assertThat(Fault.select("all")).hasSize(7);
        assertThatThrownBy(() -> Fault.select("8")).isInstanceOf(IllegalArgumentException.class);
    }
}
