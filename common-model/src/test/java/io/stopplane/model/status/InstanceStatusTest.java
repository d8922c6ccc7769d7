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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopplane.model.json.StopPlaneJson;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class InstanceStatusTest {

    /**
     * The full transition table. The reference (§2) lists Pending → Running → {Success, Failed, Timeout, Error},
     * Pending → {Invalid, Aborted}, Pending|Scheduled → Stopping → Cancelled, Running → Stopping → Terminated and
     * Scheduled ⇄ Running; the model adds Pending → Scheduled (periodic), Pending → Error (could not be run) and
     * Stopping → {Success, Failed, Timeout, Error} (a stop that races a finish).
     */
    private static final Map<InstanceStatus, Set<InstanceStatus>> ALLOWED = new EnumMap<>(InstanceStatus.class);

    static {
        ALLOWED.put(PENDING, EnumSet.of(RUNNING, SCHEDULED, STOPPING, INVALID, ABORTED, ERROR));
        ALLOWED.put(SCHEDULED, EnumSet.of(RUNNING, STOPPING, SUCCESS, FAILED));
        ALLOWED.put(RUNNING, EnumSet.of(SUCCESS, FAILED, TIMEOUT, ERROR, STOPPING, SCHEDULED));
        ALLOWED.put(STOPPING, EnumSet.of(CANCELLED, TERMINATED, SUCCESS, FAILED, TIMEOUT, ERROR));
        for (InstanceStatus s : InstanceStatus.values()) {
            ALLOWED.putIfAbsent(s, EnumSet.noneOf(InstanceStatus.class));
        }
    }

    private static final Set<InstanceStatus> TERMINAL =
            EnumSet.of(SUCCESS, FAILED, TIMEOUT, ERROR, INVALID, ABORTED, CANCELLED, TERMINATED);

    static Stream<Arguments> allowedTransitions() {
        List<Arguments> args = new ArrayList<>();
        ALLOWED.forEach((from, tos) -> tos.forEach(to -> args.add(Arguments.of(from, to))));
        return args.stream();
    }

    static Stream<Arguments> forbiddenTransitions() {
        List<Arguments> args = new ArrayList<>();
        for (InstanceStatus from : InstanceStatus.values()) {
            for (InstanceStatus to : InstanceStatus.values()) {
                if (!ALLOWED.get(from).contains(to)) {
                    args.add(Arguments.of(from, to));
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} -> {1} is allowed")
    @MethodSource("allowedTransitions")
    void everyAllowedTransitionSucceeds(InstanceStatus from, InstanceStatus to) {
        assertThat(from.canTransitionTo(to)).isTrue();
        assertThat(from.transitionTo(to)).isSameAs(to);
    }

    @ParameterizedTest(name = "{0} -> {1} is rejected")
    @MethodSource("forbiddenTransitions")
    void everyOtherTransitionIsRejected(InstanceStatus from, InstanceStatus to) {
        assertThat(from.canTransitionTo(to)).isFalse();
        assertThatThrownBy(() -> from.transitionTo(to))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Invalid transition from " + from.wireName() + " to " + to.wireName());
    }

    @ParameterizedTest(name = "{0} -> {1} (reference §2)")
    @CsvSource({
        "PENDING, RUNNING", "RUNNING, SUCCESS", "RUNNING, FAILED", "RUNNING, TIMEOUT", "RUNNING, ERROR",
        "PENDING, INVALID", "PENDING, ABORTED", "PENDING, STOPPING", "SCHEDULED, STOPPING", "STOPPING, CANCELLED",
        "RUNNING, STOPPING", "STOPPING, TERMINATED", "SCHEDULED, RUNNING", "RUNNING, SCHEDULED"
    })
    void everyTransitionOfTheReferenceIsAllowed(InstanceStatus from, InstanceStatus to) {
        assertThat(from.transitionTo(to)).isSameAs(to);
    }

    @Test
    void sampleOfIllegalTransitionsWithExactMessages() {
        assertThatThrownBy(() -> PENDING.transitionTo(SUCCESS))
                .isInstanceOf(IllegalStateException.class).hasMessage("Invalid transition from Pending to Success");
        assertThatThrownBy(() -> PENDING.transitionTo(TERMINATED))
                .isInstanceOf(IllegalStateException.class).hasMessage("Invalid transition from Pending to Terminated");
        assertThatThrownBy(() -> RUNNING.transitionTo(PENDING))
                .isInstanceOf(IllegalStateException.class).hasMessage("Invalid transition from Running to Pending");
        assertThatThrownBy(() -> RUNNING.transitionTo(CANCELLED))
                .isInstanceOf(IllegalStateException.class).hasMessage("Invalid transition from Running to Cancelled");
        assertThatThrownBy(() -> STOPPING.transitionTo(RUNNING))
                .isInstanceOf(IllegalStateException.class).hasMessage("Invalid transition from Stopping to Running");
        assertThatThrownBy(() -> SUCCESS.transitionTo(FAILED))
                .isInstanceOf(IllegalStateException.class).hasMessage("Invalid transition from Success to Failed");
        assertThatThrownBy(() -> CANCELLED.transitionTo(RUNNING))
                .isInstanceOf(IllegalStateException.class).hasMessage("Invalid transition from Cancelled to Running");
        assertThatThrownBy(() -> TERMINATED.transitionTo(STOPPING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Invalid transition from Terminated to Stopping");
    }

    @ParameterizedTest
    @EnumSource(InstanceStatus.class)
    void noStatusTransitionsToItself(InstanceStatus s) {
        assertThat(s.canTransitionTo(s)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = InstanceStatus.class,
            names = {"SUCCESS", "FAILED", "TIMEOUT", "ERROR", "INVALID", "ABORTED", "CANCELLED", "TERMINATED"})
    void terminalStatusesHaveNoOutgoingTransitions(InstanceStatus terminal) {
        assertThat(terminal.isTerminal()).isTrue();
        for (InstanceStatus next : InstanceStatus.values()) {
            assertThat(terminal.canTransitionTo(next)).as("%s -> %s", terminal, next).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(value = InstanceStatus.class, names = {"PENDING", "SCHEDULED", "RUNNING", "STOPPING"})
    void nonTerminalStatusesCanReachATerminalOne(InstanceStatus s) {
        assertThat(s.isTerminal()).isFalse();
        // Breadth-first over the table: no non-terminal status is a dead end, and Stopping is always reachable.
        Set<InstanceStatus> seen = EnumSet.of(s);
        List<InstanceStatus> queue = new ArrayList<>(List.of(s));
        while (!queue.isEmpty()) {
            InstanceStatus from = queue.remove(0);
            for (InstanceStatus to : InstanceStatus.values()) {
                if (from.canTransitionTo(to) && seen.add(to)) {
                    queue.add(to);
                }
            }
        }
        assertThat(seen).containsAnyElementsOf(TERMINAL);
        assertThat(seen).contains(CANCELLED, TERMINATED);
    }

    @Test
    void terminalFlagMatchesTheReference() {
        assertThat(EnumSet.allOf(InstanceStatus.class).stream().filter(InstanceStatus::isTerminal))
                .containsExactlyInAnyOrderElementsOf(TERMINAL);
    }

    @Test
    void stoppedAndFailureClassification() {
        assertThat(EnumSet.allOf(InstanceStatus.class).stream().filter(InstanceStatus::isStopped))
                .containsExactlyInAnyOrder(CANCELLED, TERMINATED);
        assertThat(EnumSet.allOf(InstanceStatus.class).stream().filter(InstanceStatus::isFailure))
                .containsExactlyInAnyOrder(FAILED, INVALID, ABORTED, TIMEOUT, ERROR);
    }

    @ParameterizedTest(name = "{0} is \"{1}\" on the wire")
    @CsvSource({
        "PENDING, Pending", "SCHEDULED, Scheduled", "RUNNING, Running", "STOPPING, Stopping", "SUCCESS, Success",
        "FAILED, Failed", "TIMEOUT, Timeout", "ERROR, Error", "INVALID, Invalid", "ABORTED, Aborted",
        "CANCELLED, Cancelled", "TERMINATED, Terminated"
    })
    void wireNames(InstanceStatus status, String wire) {
        assertThat(status.wireName()).isEqualTo(wire);
        assertThat(InstanceStatus.fromWire(wire)).isSameAs(status);
        assertThat(InstanceStatus.fromWire(wire.toUpperCase())).isSameAs(status);
        assertThat(InstanceStatus.fromWire(wire.toLowerCase())).isSameAs(status);
        assertThat(StopPlaneJson.mapper().writeValueAsString(status)).isEqualTo("\"" + wire + "\"");
        assertThat(StopPlaneJson.mapper().readValue("\"" + wire + "\"", InstanceStatus.class)).isSameAs(status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Stopped", "Finished", "PartialFailed", "Canceled", " Running"})
    void fromWireRejectsUnknownValues(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> InstanceStatus.fromWire(value))
                .withMessage("Unknown InvocationStatus: " + value);
    }

    @Test
    void fromWireRejectsNull() {
        assertThatIllegalArgumentException().isThrownBy(() -> InstanceStatus.fromWire(null));
    }

    @Test
    void jsonReadOfAnUnknownStatusFails() {
        assertThatThrownBy(() -> StopPlaneJson.mapper().readValue("\"Exploded\"", InstanceStatus.class))
                .isInstanceOf(tools.jackson.core.JacksonException.class)
                .hasMessageContaining("Exploded");
    }

    @ParameterizedTest(name = "{0} -> InvokeRecordStatus {1}")
    @CsvSource({
        "PENDING, Running", "SCHEDULED, Running", "RUNNING, Running", "STOPPING, Stopping", "SUCCESS, Finished",
        "FAILED, Failed", "TIMEOUT, Failed", "ERROR, Failed", "INVALID, Failed", "ABORTED, Failed",
        "CANCELLED, Stopped", "TERMINATED, Stopped"
    })
    void invokeRecordStatus(InstanceStatus status, String expected) {
        assertThat(status.invokeRecordStatus()).isEqualTo(expected);
    }

    @Test
    void invokeRecordStatusValuesAreAllLegacyValues() {
        Set<String> legacy = Set.of("Running", "Finished", "Failed", "PartialFailed", "Stopped", "Stopping");
        for (InstanceStatus s : InstanceStatus.values()) {
            assertThat(legacy).contains(s.invokeRecordStatus());
        }
    }
}
