package io.stopplane.dispatcher.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.state.InstanceOutput;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.status.InstanceStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention: a finished invocation is tombstoned in {@code invocation-state} and {@code invocation-outputs} once its
 * retention has passed on the dispatcher's wall clock, and leaves the store; an unfinished one stays however old.
 */
class FoldRetentionTest {

    private static final Duration RETENTION = Duration.ofMinutes(2);
    private static final InstanceId A = InstanceId.of("i-keep0001");

    private FoldDriver fold;
    private TestOutputTopic<String, String> states;
    private TestOutputTopic<String, InstanceOutput> outputs;

    @BeforeEach
    void start() {
        fold = new FoldDriver(FoldDriver.deadlines(Duration.ofHours(1), RETENTION), A);
        states = fold.states;
        outputs = fold.outputs;
    }

    @AfterEach
    void stop() {
        fold.close();
    }

    @Test
    void aFinishedInvocationIsTombstonedAfterItsRetentionAndAnUnfinishedOneIsKept() {
        fold.create("t-done0001");
        fold.report("t-done0001", InstanceStatus.RUNNING, null);
        fold.report("t-done0001", InstanceStatus.SUCCESS, "hello");
        fold.create("t-live0001");
        fold.report("t-live0001", InstanceStatus.RUNNING, null);
        assertThat(states.readKeyValuesToMap()).containsKeys("t-done0001", "t-live0001");
        assertThat(outputs.readKeyValuesToList()).extracting(kv -> kv.value.output()).containsExactly("hello");

        fold.driver.advanceWallClockTime(RETENTION.minusSeconds(30));
        assertThat(states.isEmpty()).as("not yet").isTrue();

        fold.driver.advanceWallClockTime(Duration.ofMinutes(1));
        List<KeyValue<String, String>> tombstones = states.readKeyValuesToList();
        String target = InvocationState.targetKey(InvokeId.of("t-done0001"), A);
        assertThat(tombstones).as("a tombstone for every record it wrote")
                .containsExactly(new KeyValue<>(target, null), new KeyValue<>("t-done0001", null));
        assertThat(outputs.readKeyValuesToList())
                .containsExactly(new KeyValue<>(InstanceOutput.key(InvokeId.of("t-done0001"), A), null));
        assertThat(fold.driver.getKeyValueStore(FoldTopology.STORE).get("t-done0001")).as("gone from the store").isNull();
        assertThat(fold.driver.getKeyValueStore(FoldTopology.TARGETS_STORE).get(target)).as("its target too").isNull();
        assertThat(fold.driver.getKeyValueStore(FoldTopology.STORE).get("t-live0001")).isNotNull();

        fold.driver.advanceWallClockTime(Duration.ofHours(2));
        Map<String, String> later = states.readKeyValuesToMap();
        assertThat(later).as("an unfinished invocation is never expired; only its timers may fire")
                .doesNotContainEntry("t-live0001", null);
    }
}
