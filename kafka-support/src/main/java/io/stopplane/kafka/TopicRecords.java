package io.stopplane.kafka;

import io.stopplane.model.topic.TopicRecord;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** The catalogue's {@link TopicRecord}s on a Kafka producer. */
public final class TopicRecords {

    private TopicRecords() {
    }

    public static ProducerRecord<String, String> producerRecord(TopicRecord record) {
        return new ProducerRecord<>(record.topic(), record.key(), record.value());
    }

    /** Sends and returns once the broker has the record; a failure is thrown as it came, unchecked. */
    public static RecordMetadata sendAndWait(Producer<String, String> producer, TopicRecord record) {
        return sendAndWait(producer, producerRecord(record));
    }

    public static RecordMetadata sendAndWait(Producer<String, String> producer, ProducerRecord<String, String> record) {
        try {
            return producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + record.topic(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("sending to " + record.topic() + " failed", e.getCause());
        }
    }
}
