package io.stopplane.agent.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.id.InstanceId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionSelectorTest {

    @ParameterizedTest
    @ValueSource(strings = {"i-local0001", "i-test0001", "i-test0002", "i-bp67acfmxazb4p0001", "mi-0a1b2c3d4e5f",
        "i-ümlaut-is-not-valid-but-hashes"})
    void matchesTheProducersDefaultPartitioner(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        for (int partitions : new int[] {1, 2, 3, 6, 12, 50}) {
            assertThat(PartitionSelector.partitionFor(key, partitions))
                    .as("%s over %d partitions", key, partitions)
                    .isEqualTo(BuiltInPartitioner.partitionForKey(bytes, partitions));
        }
    }

    @Test
    void selectsOnlyThePartitionsOfItsInstancesOnce() {
        List<InstanceId> instances = List.of(InstanceId.of("i-test0001"), InstanceId.of("i-test0002"),
                InstanceId.of("i-test0003"));

        var selected = PartitionSelector.select("instance-commands", instances, 6);

        assertThat(selected).containsExactlyInAnyOrderElementsOf(instances.stream()
                .map(id -> new TopicPartition("instance-commands", PartitionSelector.partitionFor(id.value(), 6)))
                .distinct()
                .toList());
        assertThat(PartitionSelector.select("instance-commands", instances, 1))
                .containsExactly(new TopicPartition("instance-commands", 0));
    }
}
