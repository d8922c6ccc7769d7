package io.stopplane.audit.replay;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Takes the records of a replay in partition order. */
@FunctionalInterface
public interface RecordSink {

    /** Returns false when nothing after this record of its partition is of interest (e.g. past {@code --until}). */
    boolean accept(ConsumerRecord<String, byte[]> record);
}
