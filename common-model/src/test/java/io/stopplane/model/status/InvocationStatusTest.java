package io.stopplane.model.status;

import static io.stopplane.model.status.InstanceStatus.ABORTED;
import static io.stopplane.model.status.InstanceStatus.CANCELLED;
import static io.stopplane.model.status.InstanceStatus.ERROR;
import static io.stopplane.model.status.InstanceStatus.FAILED;
import static io.stopplane.model.status.InstanceStatus.INVALID;
import static io.stopplane.model.status.InstanceStatus.PENDING;
import static io.stopplane.model.status.InstanceStatus.RUNNING;
import static io.stopplane.model.status.InstanceStatus.SCHEDULED;
import static io.stopplane.model.status.InstanceStatus.STOPPING;
import static io.stopplane.model.status.InstanceStatus.SUCCESS;
import static io.stopplane.model.status.InstanceStatus.TERMINATED;
import static io.stopplane.model.status.InstanceStatus.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.stopplane.model.json.StopPlaneJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class InvocationStatusTest {

    private static final Set<InstanceStatus> STOPPED = EnumSet.of(CANCELLED, TERMINATED);
    private static final Set<InstanceStatus> FAILURES = EnumSet.of(FAILED, INVALID, ABORTED, TIMEOUT, ERROR);

    private static InvocationStatus rollUp(InstanceStatus... statuses) {
        return InvocationStatus.rollUp(List.of(statuses));
    }

    // --- non-terminal precedence: Stopping > Running > Pending > Scheduled ---

    @ParameterizedTest
    @EnumSource(InstanceStatus.class)
    void anyStoppingIsStopping(InstanceStatus other) {
        assertThat(rollUp(STOPPING, other)).isEqualTo(InvocationStatus.STOPPING);
        assertThat(rollUp(other, STOPPING, other)).isEqualTo(InvocationStatus.STOPPING);
    }

    @ParameterizedTest
    @EnumSource(value = InstanceStatus.class, mode = EnumSource.Mode.EXCLUDE, names = "STOPPING")
    void elseAnyRunningIsRunning(InstanceStatus other) {
        assertThat(rollUp(other, RUNNING)).isEqualTo(InvocationStatus.RUNNING);
    }

    @ParameterizedTest
    @EnumSource(value = InstanceStatus.class, mode = EnumSource.Mode.EXCLUDE, names = {"STOPPING", "RUNNING"})
    void elseAnyPendingIsPending(InstanceStatus other) {
        assertThat(rollUp(PENDING, other)).isEqualTo(InvocationStatus.PENDING);
    }

    @ParameterizedTest
    @EnumSource(value = InstanceStatus.class, mode = EnumSource.Mode.EXCLUDE,
            names = {"STOPPING", "RUNNING", "PENDING"})
    void elseAnyScheduledIsScheduled(InstanceStatus other) {
        assertThat(rollUp(other, SCHEDULED)).isEqualTo(InvocationStatus.SCHEDULED);
    }

    @Test
    void precedenceWithAllNonTerminalStatusesTogether() {
        assertThat(rollUp(SCHEDULED, PENDING, RUNNING, STOPPING, SUCCESS)).isEqualTo(InvocationStatus.STOPPING);
        assertThat(rollUp(SCHEDULED, PENDING, RUNNING, FAILED)).isEqualTo(InvocationStatus.RUNNING);
        assertThat(rollUp(SCHEDULED, PENDING, CANCELLED)).isEqualTo(InvocationStatus.PENDING);
        assertThat(rollUp(SCHEDULED, SUCCESS, FAILED)).isEqualTo(InvocationStatus.SCHEDULED);
    }

    // --- all terminal ---

    @Test
    void allStoppedIsStopped() {
        assertThat(rollUp(CANCELLED)).isEqualTo(InvocationStatus.STOPPED);
        assertThat(rollUp(TERMINATED)).isEqualTo(InvocationStatus.STOPPED);
        assertThat(rollUp(CANCELLED, TERMINATED, TERMINATED)).isEqualTo(InvocationStatus.STOPPED);
    }

    @Test
    void successWithStopsIsSuccess() {
        assertThat(rollUp(SUCCESS)).isEqualTo(InvocationStatus.SUCCESS);
        assertThat(rollUp(SUCCESS, SUCCESS)).isEqualTo(InvocationStatus.SUCCESS);
        assertThat(rollUp(SUCCESS, CANCELLED)).isEqualTo(InvocationStatus.SUCCESS);
        assertThat(rollUp(TERMINATED, SUCCESS, CANCELLED)).isEqualTo(InvocationStatus.SUCCESS);
    }

    static Stream<InstanceStatus> failures() {
        return FAILURES.stream();
    }

    @ParameterizedTest
    @MethodSource("failures")
    void failuresWithStopsIsFailed(InstanceStatus failure) {
        assertThat(rollUp(failure)).isEqualTo(InvocationStatus.FAILED);
        assertThat(rollUp(failure, CANCELLED)).isEqualTo(InvocationStatus.FAILED);
        assertThat(rollUp(TERMINATED, failure)).isEqualTo(InvocationStatus.FAILED);
    }

    @Test
    void mixedFailuresAreFailed() {
        assertThat(rollUp(FAILED, INVALID, ABORTED, TIMEOUT, ERROR, CANCELLED)).isEqualTo(InvocationStatus.FAILED);
    }

    @ParameterizedTest
    @MethodSource("failures")
    void successMixedWithAFailureIsPartialFailed(InstanceStatus failure) {
        assertThat(rollUp(SUCCESS, failure)).isEqualTo(InvocationStatus.PARTIAL_FAILED);
        assertThat(rollUp(failure, SUCCESS, TERMINATED)).isEqualTo(InvocationStatus.PARTIAL_FAILED);
        assertThat(rollUp(CANCELLED, failure, SUCCESS)).isEqualTo(InvocationStatus.PARTIAL_FAILED);
    }

    @Test
    void emptyIsPending() {
        assertThat(InvocationStatus.rollUp(List.of())).isEqualTo(InvocationStatus.PENDING);
    }

    @Test
    void rollUpDoesNotDependOnOrderOrMultiplicity() {
        Random random = new Random(42);
        InstanceStatus[] all = InstanceStatus.values();
        for (int round = 0; round < 500; round++) {
            List<InstanceStatus> statuses = new ArrayList<>();
            int n = 1 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                statuses.add(all[random.nextInt(all.length)]);
            }
            InvocationStatus expected = InvocationStatus.rollUp(statuses);
            assertThat(expected).isEqualTo(referenceRollUp(statuses));
            List<InstanceStatus> shuffled = new ArrayList<>(statuses);
            Collections.shuffle(shuffled, random);
            shuffled.add(shuffled.get(0));
            assertThat(InvocationStatus.rollUp(shuffled)).as("%s", shuffled).isEqualTo(expected);
        }
    }

    /** The reference §2 written out independently, as an oracle. */
    private static InvocationStatus referenceRollUp(List<InstanceStatus> statuses) {
        if (statuses.contains(STOPPING)) {
            return InvocationStatus.STOPPING;
        }
        if (statuses.contains(RUNNING)) {
            return InvocationStatus.RUNNING;
        }
        if (statuses.contains(PENDING)) {
            return InvocationStatus.PENDING;
        }
        if (statuses.contains(SCHEDULED)) {
            return InvocationStatus.SCHEDULED;
        }
        if (STOPPED.containsAll(statuses)) {
            return InvocationStatus.STOPPED;
        }
        boolean success = statuses.contains(SUCCESS);
        boolean failure = statuses.stream().anyMatch(FAILURES::contains);
        if (success && failure) {
            return InvocationStatus.PARTIAL_FAILED;
        }
        return success ? InvocationStatus.SUCCESS : InvocationStatus.FAILED;
    }

    // --- legacy field, wire names ---

    @ParameterizedTest(name = "{0} -> InvokeStatus {1}")
    @CsvSource({
        "PENDING, Running", "SCHEDULED, Running", "RUNNING, Running", "STOPPING, Stopping", "SUCCESS, Finished",
        "FAILED, Failed", "PARTIAL_FAILED, PartialFailed", "STOPPED, Stopped"
    })
    void legacyInvokeStatus(InvocationStatus status, String legacy) {
        assertThat(status.legacyInvokeStatus()).isEqualTo(legacy);
    }

    @ParameterizedTest(name = "{0} is \"{1}\" on the wire")
    @CsvSource({
        "PENDING, Pending", "SCHEDULED, Scheduled", "RUNNING, Running", "STOPPING, Stopping", "SUCCESS, Success",
        "FAILED, Failed", "PARTIAL_FAILED, PartialFailed", "STOPPED, Stopped"
    })
    void wireNames(InvocationStatus status, String wire) {
        assertThat(status.wireName()).isEqualTo(wire);
        assertThat(InvocationStatus.fromWire(wire)).isSameAs(status);
        assertThat(InvocationStatus.fromWire(wire.toLowerCase())).isSameAs(status);
        assertThat(StopPlaneJson.mapper().writeValueAsString(status)).isEqualTo("\"" + wire + "\"");
        assertThat(StopPlaneJson.mapper().readValue("\"" + wire + "\"", InvocationStatus.class)).isSameAs(status);
    }

    @Test
    void fromWireRejectsUnknownValues() {
        assertThatIllegalArgumentException().isThrownBy(() -> InvocationStatus.fromWire("Cancelled"))
                .withMessage("Unknown invocation status: Cancelled");
        assertThatIllegalArgumentException().isThrownBy(() -> InvocationStatus.fromWire("Finished"));
    }

    @Test
    void finalStatuses() {
        assertThat(EnumSet.allOf(InvocationStatus.class).stream().filter(InvocationStatus::isFinal))
                .containsExactlyInAnyOrder(InvocationStatus.SUCCESS, InvocationStatus.FAILED,
                        InvocationStatus.PARTIAL_FAILED, InvocationStatus.STOPPED);
    }

    @ParameterizedTest
    @EnumSource(InstanceStatus.class)
    void singleInstanceRollUpIsFinalExactlyWhenTheInstanceIsTerminal(InstanceStatus s) {
        assertThat(rollUp(s).isFinal()).isEqualTo(s.isTerminal());
    }
}
