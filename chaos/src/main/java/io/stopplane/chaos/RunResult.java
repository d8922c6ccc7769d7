package io.stopplane.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured, and whether it passed. Written as JSON to {@code .stopplane/chaos/results/<fault>.json}
 * (the latest run of each fault), from which the report and {@code docs/reliability.md} are rendered.
 *
 * @param requests every request the clients sent (runs, stops, reads, retries, probes)
 * @param answered200 of those, answered 200
 * @param answered4xx answered with a 4xx (none expected)
 * @param answered5xx answered with a 5xx; {@code codes5xx} says which, and each must be InternalError.Dispatch or
 *     ServiceUnavailable
 * @param noAnswer refused or reset connections: only while the api-service itself is down
 * @param hangs no answer within the client's bound (12 s): must be 0
 * @param invocations invocations the load created
 * @param stopsAccepted invocations whose StopInvocation was answered 200
 * @param stopsLanded of those, the ones that ended Stopped with every target Terminated or Cancelled
 * @param wrongState invocations in a wrong or non-terminal final state once the faults were healed
 * @param ranTwice (ClientToken, instance) pairs whose command started more than once
 * @param aliveAfterStop processes of the run's commands still alive at the end
 */
record RunResult(
        String fault,
        String title,
        String mode,
        String startedAt,
        long seconds,
        String stack,
        long requests,
        long answered200,
        long answered4xx,
        Map<String, Long> codes4xx,
        long answered5xx,
        Map<String, Long> codes5xx,
        long max5xxMillis,
        long maxStopMillis,
        long noAnswer,
        long hangs,
        int invocations,
        int stopsAccepted,
        int stopsLanded,
        int wrongState,
        int ranTwice,
        int aliveAfterStop,
        boolean auditOk,
        String audit,
        List<Check> checks,
        List<String> notes,
        List<String> problems,
        boolean passed) {

    record Check(String name, boolean ok, String detail) {
    }

    /** Why the run failed: one line per broken rule (empty when it passed). */
    static List<String> failures(RunResult r, boolean apiOutage, int leftAfterDown) {
        List<String> f = new ArrayList<>();
        if (r.hangs > 0) {
            f.add(r.hangs + " request(s) had no answer within " + Rpc.CLIENT_BOUND.toSeconds() + " s");
        }
        long bad = r.codes5xx.entrySet().stream().filter(e -> !Tally.ALLOWED_5XX.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        if (bad > 0) {
            f.add(bad + " 5xx answer(s) other than InternalError.Dispatch/ServiceUnavailable: " + r.codes5xx);
        }
        if (r.max5xxMillis >= Tally.MAX_5XX_MILLIS) {
            f.add("a 5xx answer took " + r.max5xxMillis + " ms (bound " + Tally.MAX_5XX_MILLIS + " ms)");
        }
        if (r.answered4xx > 0) {
            f.add(r.answered4xx + " 4xx answer(s): " + r.codes4xx);
        }
        if (r.noAnswer > 0 && !apiOutage) {
            f.add(r.noAnswer + " request(s) found no api-service although it was never down");
        }
        if (r.stopsLanded != r.stopsAccepted) {
            f.add((r.stopsAccepted - r.stopsLanded) + " accepted stop(s) did not land");
        }
        if (r.wrongState > 0) {
            f.add(r.wrongState + " invocation(s) in a wrong or non-terminal final state");
        }
        if (r.ranTwice > 0) {
            f.add(r.ranTwice + " command(s) ran twice");
        }
        if (r.aliveAfterStop > 0) {
            f.add(r.aliveAfterStop + " command process(es) alive after their stop");
        }
        if (!r.auditOk) {
            f.add("audit verify failed: " + r.audit);
        }
        for (Check c : r.checks) {
            if (!c.ok()) {
                f.add("check failed: " + c.name() + " (" + c.detail() + ")");
            }
        }
        if (leftAfterDown > 0) {
            f.add(leftAfterDown + " process(es) of the stack still alive after it was stopped");
        }
        return f;
    }
}
