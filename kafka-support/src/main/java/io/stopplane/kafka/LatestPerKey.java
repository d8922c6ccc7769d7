package io.stopplane.kafka;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Of a poll's records, each key's last (in offset order within its partition; a key lives in one partition). A table
 * keeps each key's last value, so only those need reading: a burst of one invocation's states (Pending, Running,
 * Success within a second) is parsed once, and a restart that reads a log not yet compacted parses about one record
 * per key instead of one per change. Records without a key are left out.
 */
public final class LatestPerKey {

    private LatestPerKey() {
    }

    public static <V> Collection<ConsumerRecord<String, V>> of(ConsumerRecords<String, V> records) {
        Map<String, ConsumerRecord<String, V>> last = new LinkedHashMap<>();
        for (ConsumerRecord<String, V> r : records) {
            if (r.key() != null) {
                last.put(r.key(), r);
            }
        }
        return last.values();
    }
}
