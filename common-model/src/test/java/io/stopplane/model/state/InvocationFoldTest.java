package io.stopplane.model.state;

import static io.stopplane.model.TestEvents.COMMAND;
import static io.stopplane.model.TestEvents.I1;
import static io.stopplane.model.TestEvents.I2;
import static io.stopplane.model.TestEvents.I3;
import static io.stopplane.model.TestEvents.INVOKE;
import static io.stopplane.model.TestEvents.OTHER_INVOKE;
import static io.stopplane.model.TestEvents.REGION;
import static io.stopplane.model.TestEvents.T0;
import static io.stopplane.model.TestEvents.created;
import static io.stopplane.model.TestEvents.outcome;
import static io.stopplane.model.TestEvents.report;
import static io.stopplane.model.TestEvents.stop;
import static io.stopplane.model.TestEvents.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.status.InvocationStatus;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class InvocationFoldTest {

    private static InvocationState fold(InvocationState state, InvocationEvent... events) {
        InvocationState s = state;
        for (InvocationEvent e : events) {
            s = InvocationFold.apply(s, e);
        }
        return s;
    }

    private static InvocationState fold(InvocationEvent... events) {
        return fold(null, events);
    }

    private static InstanceState instance(InvocationState state, InstanceId id) {
        return state.instance(id).orElseThrow();
    }

    private static InstanceStatus status(InvocationState state, InstanceId id) {
        return instance(state, id).status();
    }

    @Nested
    class Created {

        @Test
        void makesEveryTargetPending() {
            InvocationState s = fold(created(I1, I2, I3));

            assertThat(s.invokeId()).isEqualTo(INVOKE);
            assertThat(s.regionId()).isEqualTo(REGION);
            assertThat(s.command()).isEqualTo(COMMAND);
            assertThat(s.creationTime()).isEqualTo(T0);
            assertThat(s.updateTime()).isEqualTo(T0);
            assertThat(s.version()).isEqualTo(1);
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.PENDING);
            assertThat(s.instances()).extracting(InstanceState::instanceId).containsExactly(I1, I2, I3);
            assertThat(s.instances()).allSatisfy(i -> {
                assertThat(i.status()).isEqualTo(InstanceStatus.PENDING);
                assertThat(i.creationTime()).isEqualTo(T0);
                assertThat(i.updateTime()).isEqualTo(T0);
                assertThat(i.startTime()).isNull();
                assertThat(i.finishTime()).isNull();
                assertThat(i.stopTime()).isNull();
                assertThat(i.exitCode()).isNull();
                assertThat(i.errorCode()).isNull();
                assertThat(i.output()).isNull();
                assertThat(i.dropped()).isZero();
            });
        }

        @Test
        void collapsesRepeatedTargets() {
            InvocationState s = fold(created(I1, I2, I1));
            assertThat(s.instances()).extracting(InstanceState::instanceId).containsExactly(I1, I2);
        }

        @Test
        void duplicateCreatedIsIgnored() {
            InvocationState first = fold(created(I1));
            InvocationState again = InvocationFold.apply(first, created(OTHER_INVOKE, t(9), I2, I3));
            assertThat(again).isSameAs(first);
        }

        @Test
        void instancesAreImmutable() {
            InvocationState s = fold(created(I1));
            assertThatThrownBy(() -> s.instances().clear()).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class Reports {

        @Test
        void runningRecordsStartTime() {
            InvocationState before = fold(created(I1, I2));
            InvocationState s = InvocationFold.apply(before, report(I1, InstanceStatus.RUNNING, t(1)));

            InstanceState i1 = instance(s, I1);
            assertThat(i1.status()).isEqualTo(InstanceStatus.RUNNING);
            assertThat(i1.startTime()).isEqualTo(t(1));
            assertThat(i1.updateTime()).isEqualTo(t(1));
            assertThat(i1.creationTime()).isEqualTo(T0);
            assertThat(i1.finishTime()).isNull();
            assertThat(instance(s, I2)).isEqualTo(instance(before, I2));
            assertThat(s.updateTime()).isEqualTo(t(1));
            assertThat(s.creationTime()).isEqualTo(T0);
            assertThat(s.version()).isEqualTo(2);
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.RUNNING);
        }

        @Test
        void successRecordsExitCodeOutputAndFinishTime() {
            InvocationState s = fold(created(I1), report(I1, InstanceStatus.RUNNING, t(1)),
                    outcome(I1, InstanceStatus.SUCCESS, t(3), 0, null, null, "hello\n", 0));

            InstanceState i1 = instance(s, I1);
            assertThat(i1.status()).isEqualTo(InstanceStatus.SUCCESS);
            assertThat(i1.exitCode()).isZero();
            assertThat(i1.errorCode()).isNull();
            assertThat(i1.output()).isEqualTo("hello\n");
            assertThat(i1.startTime()).isEqualTo(t(1));
            assertThat(i1.finishTime()).isEqualTo(t(3));
            assertThat(i1.stopTime()).isNull();
            assertThat(s.version()).isEqualTo(3);
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.SUCCESS);
        }

        @Test
        void failedRecordsErrorCodeInfoOutputAndDropped() {
            InvocationState s = fold(created(I1), report(I1, InstanceStatus.RUNNING, t(1)),
                    outcome(I1, InstanceStatus.FAILED, t(4), 2, "ExitCodeNonzero",
                            "the command execution exit code is not zero", "boom", 17));

            InstanceState i1 = instance(s, I1);
            assertThat(i1.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(i1.exitCode()).isEqualTo(2);
            assertThat(i1.errorCode()).isEqualTo("ExitCodeNonzero");
            assertThat(i1.errorInfo()).isEqualTo("the command execution exit code is not zero");
            assertThat(i1.output()).isEqualTo("boom");
            assertThat(i1.dropped()).isEqualTo(17);
            assertThat(i1.finishTime()).isEqualTo(t(4));
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.FAILED);
        }

        @Test
        void timeoutIsAFailure() {
            InvocationState s = fold(created(I1), report(I1, InstanceStatus.RUNNING, t(1)),
                    outcome(I1, InstanceStatus.TIMEOUT, t(61), null, "ExecutionTimeout",
                            "the command execution has been timeout", "", 0));
            assertThat(status(s, I1)).isEqualTo(InstanceStatus.TIMEOUT);
            assertThat(instance(s, I1).errorCode()).isEqualTo("ExecutionTimeout");
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.FAILED);
        }

        @Test
        void successAndFailureArePartialFailed() {
            InvocationState s = fold(created(I1, I2),
                    outcome(I1, InstanceStatus.SUCCESS, t(2), 0, null, null, "ok", 0),
                    outcome(I2, InstanceStatus.FAILED, t(3), 1, "ExitCodeNonzero", null, "ko", 0));
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.PARTIAL_FAILED);
            assertThat(s.invocationStatus().legacyInvokeStatus()).isEqualTo("PartialFailed");
        }

        @Test
        void outcomeReportedWhilePendingGoesViaRunning() {
            InvocationState s = fold(created(I1), outcome(I1, InstanceStatus.SUCCESS, t(2), 0, null, null, "x", 0));

            InstanceState i1 = instance(s, I1);
            assertThat(i1.status()).isEqualTo(InstanceStatus.SUCCESS);
            assertThat(i1.startTime()).isEqualTo(t(2));
            assertThat(i1.finishTime()).isEqualTo(t(2));
            assertThat(s.version()).isEqualTo(2);
        }

        @ParameterizedTest
        @EnumSource(value = InstanceStatus.class, names = {"INVALID", "ABORTED", "ERROR"})
        void pendingCanFailBeforeRunning(InstanceStatus failure) {
            InvocationState s = fold(created(I1),
                    outcome(I1, failure, t(2), null, "DeliveryTimeout", "the command delivery has been timeout", null,
                            0));
            InstanceState i1 = instance(s, I1);
            assertThat(i1.status()).isEqualTo(failure);
            assertThat(i1.startTime()).isNull();
            assertThat(i1.finishTime()).isEqualTo(t(2));
            assertThat(i1.errorCode()).isEqualTo("DeliveryTimeout");
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.FAILED);
        }

        @Test
        void duplicateReportIsIgnored() {
            InstanceStatusReported running = report(I1, InstanceStatus.RUNNING, t(1));
            InvocationState s = fold(created(I1), running);

            assertThat(InvocationFold.apply(s, running)).isSameAs(s);
            assertThat(InvocationFold.apply(s, report(I1, InstanceStatus.RUNNING, t(2)))).isSameAs(s);
            assertThat(instance(s, I1).startTime()).isEqualTo(t(1));
        }

        @ParameterizedTest
        @EnumSource(InstanceStatus.class)
        void lateReportAfterTerminalIsIgnored(InstanceStatus late) {
            InvocationState success = fold(created(I1), report(I1, InstanceStatus.RUNNING, t(1)),
                    outcome(I1, InstanceStatus.SUCCESS, t(2), 0, null, null, "ok", 0));
            InvocationState terminated = fold(created(I1), report(I1, InstanceStatus.RUNNING, t(1)), stop(t(2)),
                    report(I1, InstanceStatus.TERMINATED, t(3)));

            assertThat(InvocationFold.apply(success, outcome(I1, late, t(9), 1, "X", "x", "late", 0)))
                    .isSameAs(success);
            assertThat(InvocationFold.apply(terminated, outcome(I1, late, t(9), 1, "X", "x", "late", 0)))
                    .isSameAs(terminated);
        }

        @Test
        void reportForAnInstanceThatIsNotATargetIsIgnored() {
            InvocationState s = fold(created(I1, I2));
            assertThat(InvocationFold.apply(s, report(I3, InstanceStatus.RUNNING, t(1)))).isSameAs(s);
        }

        @Test
        void periodicRunsAlternateBetweenScheduledAndRunning() {
            InvocationState s = fold(created(I1), report(I1, InstanceStatus.SCHEDULED, t(1)));
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.SCHEDULED);

            s = fold(s, report(I1, InstanceStatus.RUNNING, t(2)));
            assertThat(status(s, I1)).isEqualTo(InstanceStatus.RUNNING);
            assertThat(instance(s, I1).startTime()).isEqualTo(t(2));

            s = fold(s, report(I1, InstanceStatus.SCHEDULED, t(3)), report(I1, InstanceStatus.RUNNING, t(4)));
            assertThat(status(s, I1)).isEqualTo(InstanceStatus.RUNNING);
            assertThat(instance(s, I1).startTime()).isEqualTo(t(4));

            s = fold(s, report(I1, InstanceStatus.SCHEDULED, t(5)), stop(t(6)));
            assertThat(status(s, I1)).isEqualTo(InstanceStatus.STOPPING);
            s = fold(s, report(I1, InstanceStatus.CANCELLED, t(7)));
            assertThat(status(s, I1)).isEqualTo(InstanceStatus.CANCELLED);
            assertThat(instance(s, I1).stopTime()).isEqualTo(t(6));
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.STOPPED);
        }
    }

    @Nested
    class Stops {

        @Test
        void stopWithoutInstancesStopsEveryNonTerminalTarget() {
            InvocationState before = fold(created(I1, I2, I3), report(I1, InstanceStatus.RUNNING, t(1)),
                    outcome(I3, InstanceStatus.SUCCESS, t(2), 0, null, null, "done", 0));
            InvocationState s = InvocationFold.apply(before, stop(t(5)));

            for (InstanceId id : List.of(I1, I2)) {
                InstanceState i = instance(s, id);
                assertThat(i.status()).isEqualTo(InstanceStatus.STOPPING);
                assertThat(i.stopTime()).isEqualTo(t(5));
                assertThat(i.updateTime()).isEqualTo(t(5));
            }
            assertThat(instance(s, I1).startTime()).isEqualTo(t(1));
            assertThat(instance(s, I3)).isEqualTo(instance(before, I3));
            assertThat(instance(s, I3).stopTime()).isNull();
            assertThat(s.updateTime()).isEqualTo(t(5));
            assertThat(s.version()).isGreaterThan(before.version());
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.STOPPING);
            assertThat(s.invocationStatus().legacyInvokeStatus()).isEqualTo("Stopping");
        }

        @Test
        void stopWithInstancesStopsOnlyThose() {
            InvocationState before = fold(created(I1, I2), report(I1, InstanceStatus.RUNNING, t(1)),
                    report(I2, InstanceStatus.RUNNING, t(1)));
            InvocationState s = InvocationFold.apply(before, stop(t(5), I1));

            assertThat(status(s, I1)).isEqualTo(InstanceStatus.STOPPING);
            assertThat(instance(s, I1).stopTime()).isEqualTo(t(5));
            assertThat(instance(s, I2)).isEqualTo(instance(before, I2));
        }

        @Test
        void stoppingThenTerminatedAndCancelledIsStopped() {
            InvocationState s = fold(created(I1, I2), report(I1, InstanceStatus.RUNNING, t(1)), stop(t(5)));
            s = fold(s, report(I1, InstanceStatus.TERMINATED, t(6)));
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.STOPPING);
            s = fold(s, report(I2, InstanceStatus.CANCELLED, t(7)));

            assertThat(status(s, I1)).isEqualTo(InstanceStatus.TERMINATED);
            assertThat(status(s, I2)).isEqualTo(InstanceStatus.CANCELLED);
            // StopTime is when StopInvocation was called, not when the agent acknowledged.
            assertThat(instance(s, I1).stopTime()).isEqualTo(t(5));
            assertThat(instance(s, I2).stopTime()).isEqualTo(t(5));
            assertThat(instance(s, I1).finishTime()).isEqualTo(t(6));
            assertThat(instance(s, I1).startTime()).isEqualTo(t(1));
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.STOPPED);
            assertThat(s.invocationStatus().legacyInvokeStatus()).isEqualTo("Stopped");
        }

        @Test
        void stoppingOneOfTwoLeavesTheOtherRunning() {
            InvocationState s = fold(created(I1, I2), report(I1, InstanceStatus.RUNNING, t(1)),
                    report(I2, InstanceStatus.RUNNING, t(1)), stop(t(5), I1),
                    report(I1, InstanceStatus.TERMINATED, t(6)));

            assertThat(status(s, I1)).isEqualTo(InstanceStatus.TERMINATED);
            assertThat(status(s, I2)).isEqualTo(InstanceStatus.RUNNING);
            assertThat(instance(s, I2).stopTime()).isNull();
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.RUNNING);

            s = fold(s, outcome(I2, InstanceStatus.SUCCESS, t(8), 0, null, null, "ok", 0));
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.SUCCESS);
        }

        @Test
        void stopOnATerminalTargetChangesNothing() {
            InvocationState s = fold(created(I1, I2), outcome(I1, InstanceStatus.SUCCESS, t(1), 0, null, null, "", 0),
                    outcome(I2, InstanceStatus.FAILED, t(2), 1, "ExitCodeNonzero", null, "", 0));

            assertThat(InvocationFold.apply(s, stop(t(5), I1))).isSameAs(s);
            assertThat(InvocationFold.apply(s, stop(t(5)))).isSameAs(s);
            assertThat(InvocationFold.apply(s, stop(t(5), I1, I2))).isSameAs(s);
        }

        @Test
        void secondStopIsIdempotentAndKeepsTheFirstStopTime() {
            InvocationState s = fold(created(I1, I2), report(I1, InstanceStatus.RUNNING, t(1)), stop(t(5)));

            assertThat(InvocationFold.apply(s, stop(t(9)))).isSameAs(s);
            assertThat(InvocationFold.apply(s, stop(t(9), I2))).isSameAs(s);
            assertThat(instance(s, I1).stopTime()).isEqualTo(t(5));
        }

        @Test
        void stopNamingTheSameTargetTwiceStopsItOnce() {
            InvocationState s = fold(created(I1, I2), stop(t(5), I1, I1));
            assertThat(status(s, I1)).isEqualTo(InstanceStatus.STOPPING);
            assertThat(status(s, I2)).isEqualTo(InstanceStatus.PENDING);
            assertThat(s.version()).isEqualTo(2);
        }

        @Test
        void stopNamingAnInstanceThatIsNotATargetIsIgnored() {
            InvocationState s = fold(created(I1, I2));
            assertThat(InvocationFold.apply(s, stop(t(5), I3))).isSameAs(s);
        }

        @Test
        void runningReportedWhileStoppingKeepsStoppingButRecordsStartTime() {
            InvocationState before = fold(created(I1), stop(t(2)));
            InvocationState s = InvocationFold.apply(before, report(I1, InstanceStatus.RUNNING, t(3)));

            InstanceState i1 = instance(s, I1);
            assertThat(i1.status()).isEqualTo(InstanceStatus.STOPPING);
            assertThat(i1.startTime()).isEqualTo(t(3));
            assertThat(i1.stopTime()).isEqualTo(t(2));
            assertThat(s.version()).isEqualTo(before.version() + 1);

            s = fold(s, report(I1, InstanceStatus.TERMINATED, t(4)));
            assertThat(status(s, I1)).isEqualTo(InstanceStatus.TERMINATED);
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.STOPPED);
        }

        @Test
        void duplicateRunningReportWhileStoppingIsIgnored() {
            InstanceStatusReported running = report(I1, InstanceStatus.RUNNING, t(1));
            InvocationState s = fold(created(I1), running, stop(t(5)));

            // A redelivered Running must neither move the real StartTime nor count as a change.
            assertThat(InvocationFold.apply(s, running)).isSameAs(s);
            assertThat(instance(s, I1).startTime()).isEqualTo(t(1));
        }

        @ParameterizedTest
        @EnumSource(value = InstanceStatus.class, names = {"SUCCESS", "FAILED", "TIMEOUT", "ERROR"})
        void stopThatRacesAFinishEndsInTheFinish(InstanceStatus finish) {
            InvocationState s = fold(created(I1), report(I1, InstanceStatus.RUNNING, t(1)), stop(t(2)),
                    outcome(I1, finish, t(3), finish == InstanceStatus.SUCCESS ? 0 : 1, null, null, "out", 0));

            InstanceState i1 = instance(s, I1);
            assertThat(i1.status()).isEqualTo(finish);
            assertThat(i1.stopTime()).isEqualTo(t(2));
            assertThat(i1.finishTime()).isEqualTo(t(3));
            assertThat(i1.output()).isEqualTo("out");
            assertThat(s.invocationStatus())
                    .isEqualTo(finish == InstanceStatus.SUCCESS ? InvocationStatus.SUCCESS : InvocationStatus.FAILED);
        }

        @Test
        void cancelledReportedWhilePendingGoesViaStopping() {
            InvocationState before = fold(created(I1, I2));
            InvocationState s = InvocationFold.apply(before, report(I1, InstanceStatus.CANCELLED, t(3)));

            InstanceState i1 = instance(s, I1);
            assertThat(i1.status()).isEqualTo(InstanceStatus.CANCELLED);
            assertThat(i1.stopTime()).isEqualTo(t(3));
            assertThat(i1.finishTime()).isEqualTo(t(3));
            assertThat(i1.startTime()).isNull();
            assertThat(s.version()).isEqualTo(before.version() + 1);
            assertThat(status(s, I2)).isEqualTo(InstanceStatus.PENDING);
        }

        @Test
        void terminatedReportedWhilePendingIsTreatedAsAStopAcknowledgement() {
            // Pending -> Terminated is not in the table; the fold accepts it via Stopping, like Cancelled.
            InvocationState s = fold(created(I1), report(I1, InstanceStatus.TERMINATED, t(3)));
            assertThat(status(s, I1)).isEqualTo(InstanceStatus.TERMINATED);
            assertThat(instance(s, I1).stopTime()).isEqualTo(t(3));
            assertThat(s.invocationStatus()).isEqualTo(InvocationStatus.STOPPED);
        }

        @Test
        void cancelledReportedWhileRunningEndsCancelled() {
            InvocationState s = fold(created(I1), report(I1, InstanceStatus.RUNNING, t(1)),
                    report(I1, InstanceStatus.CANCELLED, t(3)));
            assertThat(status(s, I1)).isEqualTo(InstanceStatus.CANCELLED);
            assertThat(instance(s, I1).stopTime()).isEqualTo(t(3));
        }
    }

    @Nested
    class IllegalAndUnknown {

        static Stream<Arguments> illegalReports() {
            return Stream.of(
                    Arguments.of(InstanceStatus.RUNNING, InstanceStatus.PENDING),
                    Arguments.of(InstanceStatus.RUNNING, InstanceStatus.ABORTED),
                    Arguments.of(InstanceStatus.RUNNING, InstanceStatus.INVALID),
                    Arguments.of(InstanceStatus.SCHEDULED, InstanceStatus.PENDING),
                    Arguments.of(InstanceStatus.SCHEDULED, InstanceStatus.INVALID),
                    Arguments.of(InstanceStatus.SCHEDULED, InstanceStatus.ABORTED),
                    Arguments.of(InstanceStatus.STOPPING, InstanceStatus.PENDING),
                    Arguments.of(InstanceStatus.STOPPING, InstanceStatus.SCHEDULED),
                    Arguments.of(InstanceStatus.STOPPING, InstanceStatus.INVALID),
                    Arguments.of(InstanceStatus.STOPPING, InstanceStatus.ABORTED));
        }

        private InvocationState stateWith(InstanceStatus status) {
            InvocationState s = fold(created(I1));
            switch (status) {
                case RUNNING:
                    return fold(s, report(I1, InstanceStatus.RUNNING, t(1)));
                case SCHEDULED:
                    return fold(s, report(I1, InstanceStatus.SCHEDULED, t(1)));
                case STOPPING:
                    return fold(s, report(I1, InstanceStatus.RUNNING, t(1)), stop(t(2)));
                default:
                    throw new IllegalArgumentException(status.toString());
            }
        }

        @ParameterizedTest(name = "{1} reported while {0} is ignored")
        @MethodSource("illegalReports")
        void illegalReportLeavesStateUnchanged(InstanceStatus current, InstanceStatus reported) {
            InvocationState s = stateWith(current);
            assertThat(status(s, I1)).isEqualTo(current);

            InvocationState after = InvocationFold.apply(s, outcome(I1, reported, t(9), 1, "X", "x", "o", 0));

            assertThat(after).isSameAs(s);
            assertThat(after.version()).isEqualTo(s.version());
        }

        @Test
        void eventsForAnUnknownInvocationReturnNull() {
            assertThat(InvocationFold.apply(null, stop(t(1)))).isNull();
            assertThat(InvocationFold.apply(null, stop(t(1), I1))).isNull();
            assertThat(InvocationFold.apply(null, report(I1, InstanceStatus.RUNNING, t(1)))).isNull();
            assertThat(InvocationFold.apply(null, report(I1, InstanceStatus.TERMINATED, t(1)))).isNull();
        }
    }

    @Nested
    class Versions {

        @Test
        void versionIncrementsOnEveryChangeAndNotOnIgnoredEvents() {
            InstanceStatusReported running = report(I1, InstanceStatus.RUNNING, t(1));
            List<InvocationEvent> changes = List.of(running, report(I2, InstanceStatus.RUNNING, t(2)),
                    stop(t(3), I1), report(I1, InstanceStatus.TERMINATED, t(4)),
                    outcome(I2, InstanceStatus.SUCCESS, t(5), 0, null, null, "ok", 0));
            List<InvocationEvent> ignored = List.of(created(I3), running, stop(t(6)), stop(t(6), I1),
                    report(I1, InstanceStatus.RUNNING, t(7)), report(I3, InstanceStatus.RUNNING, t(7)),
                    report(I2, InstanceStatus.PENDING, t(7)));

            InvocationState s = fold(created(I1, I2));
            assertThat(s.version()).isEqualTo(1);
            for (InvocationEvent e : changes) {
                InvocationState next = InvocationFold.apply(s, e);
                assertThat(next.version()).as("after %s", e).isGreaterThan(s.version());
                s = next;
            }
            for (InvocationEvent e : ignored) {
                InvocationState next = InvocationFold.apply(s, e);
                assertThat(next).as("after %s", e).isSameAs(s);
                assertThat(next.version()).isEqualTo(s.version());
            }
        }

        @Test
        void singleInstanceEventsIncrementVersionByOne() {
            InvocationState s = fold(created(I1));
            InvocationEvent[] events = {
                report(I1, InstanceStatus.RUNNING, t(1)), stop(t(2)), report(I1, InstanceStatus.TERMINATED, t(3))
            };
            long expected = 1;
            for (InvocationEvent e : events) {
                s = InvocationFold.apply(s, e);
                assertThat(s.version()).isEqualTo(++expected);
            }
        }
    }
}
