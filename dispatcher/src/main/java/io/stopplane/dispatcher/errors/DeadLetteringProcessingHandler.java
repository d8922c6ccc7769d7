package io.stopplane.dispatcher.errors;

import io.stopplane.model.kafka.DeadLetters;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An event that was read but that a fold threw on: its source record (raw bytes, from the handler's context) goes to
 * {@code <topic>-dlt} ({@code invocation-events-dlt}, {@code registry-events-dlt}) and the fold goes on with the next
 * event. An error with no source record behind it (a punctuation: the timer scan) still fails, as before: there is
 * nothing to dead-letter, and the scan runs again.
 */
public final class DeadLetteringProcessingHandler implements ProcessingExceptionHandler {

    /** The streams config entry holding the {@link DeadLetters} instance. */
    static final String DEAD_LETTERS = "stopplane.dead-letters";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetteringProcessingHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = (DeadLetters) configs.get(DEAD_LETTERS);
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (deadLetters == null || context.topic() == null || context.sourceRawValue() == null) {
            LOG.error("processing failed at node {} with no source record to dead-letter", context.processorNodeId(),
                    exception);
            return ProcessingHandlerResponse.FAIL;
        }
        byte[] key = context.sourceRawKey();
        byte[] value = context.sourceRawValue();
        deadLetters.send(new ConsumerRecord<>(context.topic(), context.partition(), context.offset(),
                context.timestamp(), TimestampType.CREATE_TIME, key == null ? -1 : key.length, value.length, key, value,
                context.headers(), Optional.empty()), exception);
        return ProcessingHandlerResponse.CONTINUE;
    }
}
