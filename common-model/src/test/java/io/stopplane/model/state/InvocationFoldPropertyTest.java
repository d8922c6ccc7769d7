package io.stopplane.model.state;

import static io.stopplane.model.TestEvents.CALLER;
import static io.stopplane.model.TestEvents.INVOKE;
import static io.stopplane.model.TestEvents.created;
import static io.stopplane.model.TestEvents.eventId;
import static io.stopplane.model.TestEvents.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.stopplane.model.event.InstanceStatusReported;
import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.status.InstanceStatus;
import io.stopplane.model.status.InvocationStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Random event streams (seeded, so reproducible) against the invariants of the fold. */
class InvocationFoldPropertyTest {

    /** Every status but Stopping, which only a StopRequested produces; agents never report it. */
    private static final InstanceStatus[] REPORTABLE = Arrays.stream(InstanceStatus.values())
            .filter(s -> s != InstanceStatus.STOPPING).toArray(InstanceStatus[]::new);
    private static final InstanceId STRANGER = InstanceId.of("i-notatarget");

    /** The fold logs every ignored event; thousands of them would only slow this test down. Strong ref: JUL is weak. */
    private static final Logger FOLD_LOG = Logger.getLogger(InvocationFold.class.getName());
    private static Level savedLevel;

    @BeforeAll
    static void quietTheFold() {
        savedLevel = FOLD_LOG.getLevel();
        FOLD_LOG.setLevel(Level.OFF);
    }

    @AfterAll
    static void restoreTheFoldLog() {
        FOLD_LOG.setLevel(savedLevel);
    }

    @Test
    void randomEventStreamsNeverThrowAndNeverChangeATerminalStatus() {
        for (long seed = 1; seed <= 300; seed++) {
            runOne(seed);
        }
        // The streams really exercised the interesting paths, not only ignored events.
        assertThat(terminalChecks).isGreaterThan(1_000);
        assertThat(finalStatuses).contains(InvocationStatus.STOPPED, InvocationStatus.SUCCESS, InvocationStatus.FAILED,
                InvocationStatus.PARTIAL_FAILED);
    }

    private long terminalChecks;
    private final Set<InvocationStatus> finalStatuses = EnumSet.noneOf(InvocationStatus.class);

    private void runOne(long seed) {
        Random random = new Random(seed);
        int targetCount = 1 + random.nextInt(4);
        List<InstanceId> targets = new ArrayList<>();
        for (int i = 0; i < targetCount; i++) {
            targets.add(InstanceId.of("i-prop" + i));
        }
        List<InvocationEvent> history = new ArrayList<>();
        InvocationState state = null;
        // Sometimes events arrive before the invocation is known.
        if (random.nextInt(4) == 0) {
            InvocationEvent early = randomEvent(random, targets, history, 0);
            assertThat(InvocationFold.apply(null, early)).as("seed %d", seed).isNull();
        }
        InvocationEvent first = created(INVOKE, t(0), targets.toArray(InstanceId[]::new));
        state = InvocationFold.apply(null, first);
        history.add(first);
        InvocationState asCreated = state;
        Map<InstanceId, InvocationTarget> records = new HashMap<>();

        for (int step = 1; step <= 40; step++) {
            InvocationEvent event = randomEvent(random, targets, history, step);
            history.add(event);
            InvocationState prev = state;
            InvocationState[] holder = new InvocationState[1];
            assertThatCode(() -> holder[0] = InvocationFold.apply(prev, event))
                    .as("seed %d step %d event %s", seed, step, event).doesNotThrowAnyException();
            InvocationState next = holder[0];

            assertThat(next).as("seed %d step %d", seed, step).isNotNull();
            assertThat(next.instances()).extracting(InstanceState::instanceId)
                    .containsExactlyElementsOf(prev.instances().stream().map(InstanceState::instanceId).toList());
            for (InstanceState before : prev.instances()) {
                InstanceState after = next.instance(before.instanceId()).orElseThrow();
                if (before.status().isTerminal()) {
                    terminalChecks++;
                    assertThat(after).as("seed %d step %d: terminal %s changed by %s", seed, step,
                            before.instanceId(), event).isEqualTo(before);
                }
                if (after.status() == InstanceStatus.STOPPING || after.status().isStopped()) {
                    assertThat(after.stopTime()).as("seed %d step %d stopTime", seed, step).isNotNull();
                }
            }
            if (next == prev) {
                assertThat(next.version()).isEqualTo(prev.version());
            } else {
                assertThat(next.version()).as("seed %d step %d version", seed, step)
                        .isGreaterThan(prev.version());
                assertThat(next.updateTime()).isEqualTo(event.occurredAt());
                // As the dispatcher writes it: a record of each target the event changed; the state as created with
                // the latest record of each target laid on it, in any order, is the fold.
                for (InstanceState after : next.instances()) {
                    if (!after.equals(prev.instance(after.instanceId()).orElseThrow())) {
                        records.put(after.instanceId(), next.target(after));
                    }
                }
                List<InvocationTarget> laid = new ArrayList<>(records.values());
                Collections.shuffle(laid, new Random(seed * 31 + step));
                InvocationState assembled = asCreated;
                for (InvocationTarget r : laid) {
                    assembled = assembled.with(r);
                }
                assertThat(assembled).as("seed %d step %d assembled from target records", seed, step).isEqualTo(next);
            }
            if (prev.invocationStatus().isFinal()) {
                assertThat(next).as("seed %d step %d: final invocation changed", seed, step).isSameAs(prev);
            }
            assertThat(next.invocationStatus()).isEqualTo(
                    InvocationStatus.rollUp(next.instances().stream().map(InstanceState::status).toList()));
            // Delivering the same event twice is the same as delivering it once.
            assertThat(InvocationFold.apply(next, event)).as("seed %d step %d redelivery of %s", seed, step, event)
                    .isSameAs(next);
            state = next;
        }
        finalStatuses.add(state.invocationStatus());
    }

    private static InvocationEvent randomEvent(Random random, List<InstanceId> targets, List<InvocationEvent> history,
            int step) {
        int kind = random.nextInt(10);
        if (kind == 0 && !history.isEmpty()) {
            return history.get(random.nextInt(history.size())); // a redelivery of any earlier event
        }
        if (kind <= 2) {
            List<InstanceId> named = new ArrayList<>();
            if (random.nextBoolean()) {
                for (InstanceId id : targets) {
                    if (random.nextBoolean()) {
                        named.add(id);
                    }
                }
                if (random.nextInt(5) == 0) {
                    named.add(STRANGER);
                }
            }
            return new StopRequested(eventId(), INVOKE, t(step), named, CALLER);
        }
        InstanceId instance = random.nextInt(12) == 0 ? STRANGER : targets.get(random.nextInt(targets.size()));
        InstanceStatus status = REPORTABLE[random.nextInt(REPORTABLE.length)];
        Integer exitCode = random.nextBoolean() ? null : random.nextInt(3);
        return new InstanceStatusReported(eventId(), INVOKE, t(step), instance, status, exitCode,
                exitCode == null ? null : "ExitCodeNonzero", null, "out-" + step, random.nextInt(3));
    }
}
