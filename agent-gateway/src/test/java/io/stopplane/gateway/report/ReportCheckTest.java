package io.stopplane.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stopplane.gateway.delivery.Pending;
import io.stopplane.gateway.delivery.PendingTest;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportCheckTest {

    private static final InstanceId A = InstanceId.of("mi-aaaaaaaaaaaaaaaaaaaa");
    private static final InstanceId B = InstanceId.of("mi-bbbbbbbbbbbbbbbbbbbb");
    private static final InvokeId T = InvokeId.of("t-1");
    private final Pending pending = new Pending(new SimpleMeterRegistry());

    ReportCheckTest() {
        PendingTest.read(pending, 0, PendingTest.run(T, A));
    }

    @Test
    void aReportOfAProvenTargetWithAnAgentStatusPasses() {
        for (String status : new String[] {"Running", "Success", "Failed", "Timeout", "Error", "Cancelled",
                "Terminated", "Aborted"}) {
            assertThat(ReportCheck.check(report(T, A, status, "out"), Set.of(A), pending)).isEmpty();
        }
    }

    @Test
    void eachRuleHasItsCode() {
        assertThat(code(report(T, B, "Success", ""), Set.of(A))).isEqualTo("Report.NotYourInstance");
        assertThat(code(report(InvokeId.of("t-2"), A, "Success", ""), Set.of(A))).isEqualTo("Report.NotATarget");
        for (String status : new String[] {"Pending", "Scheduled", "Stopping", "Invalid", "Bogus"}) {
            assertThat(code(report(T, A, status, ""), Set.of(A))).isEqualTo("Report.IllegalStatus");
        }
        // 24 KB in UTF-8 bytes: 12,289 two-byte characters are 24,578 bytes
        assertThat(code(report(T, A, "Success", "é".repeat(12_289)), Set.of(A))).isEqualTo("Report.OutputTooLarge");
        assertThat(ReportCheck.check(report(T, A, "Success", "a".repeat(24 * 1024)), Set.of(A), pending)).isEmpty();
        assertThat(code(new AgentReport("t-1", "i-../etc", "Success", 0, null, null, null, 0L, null), Set.of(A)))
                .isEqualTo("Report.Invalid");
        assertThat(code(new AgentReport("t-1", A.value(), "Success", 0, null, null, null, -1L, null), Set.of(A)))
                .isEqualTo("Report.Invalid");
    }

    @Test
    void anotherInstancesReportIsRefusedEvenForItsOwnTarget() {
        PendingTest.read(pending, 1, PendingTest.run(T, B));
        assertThat(code(report(T, B, "Success", ""), Set.of(A))).isEqualTo("Report.NotYourInstance");
    }

    private String code(AgentReport r, Set<InstanceId> proven) {
        return ReportCheck.check(r, proven, pending).orElseThrow().code();
    }

    private static AgentReport report(InvokeId t, InstanceId i, String status, String output) {
        return new AgentReport(t.value(), i.value(), status, 0, null, null, output, 0L, "2100-01-01T00:00:00Z");
    }
}
