package io.stopplane.agent.intake;

import io.stopplane.model.id.InstanceId;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * The partitions of {@code instance-commands} that can hold this agent's commands: the producer's default partitioner
 * puts a keyed record on {@code toPositive(murmur2(key bytes)) % partitions}, with the key serialized as UTF-8.
 */
final class PartitionSelector {

    private PartitionSelector() {
    }

    static int partitionFor(String key, int partitionCount) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }

    static Set<TopicPartition> select(String topic, Collection<InstanceId> instances, int partitionCount) {
        Set<Integer> partitions = instances.stream()
                .map(id -> partitionFor(id.value(), partitionCount))
                .collect(Collectors.toCollection(TreeSet::new));
        return partitions.stream().map(p -> new TopicPartition(topic, p)).collect(Collectors.toUnmodifiableSet());
    }
}
