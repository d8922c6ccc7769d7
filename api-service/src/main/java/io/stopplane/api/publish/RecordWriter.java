package io.stopplane.api.publish;

import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.config.DispatchBudget;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.model.error.ApiError;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes one record and returns once the brokers have it: committed in a transaction of the API's producer, so a
 * read_committed reader sees it exactly once. For people's actions on the registry and the command library, a few a
 * minute, so each has its own transaction (no group commit as {@link EventPublisher} needs). Bounded by the
 * {@link DispatchBudget}: with the broker gone the caller gets InternalError.Dispatch, and nothing was written (an
 * aborted or never-begun transaction).
 */
@Component
public class RecordWriter {

    /** The {@code ce_source} of what the API writes. */
    public static final String SOURCE = "/stopplane/api-service";

    private final KafkaTemplate<String, Object> template;
    private final DispatchBudget budget;

    RecordWriter(KafkaTemplate<String, Object> template, ApiProperties props) {
        this.template = template;
        this.budget = new DispatchBudget(props.dispatchTimeout());
    }

    /** @param headers the record's CloudEvents headers */
    public void write(String topic, String key, Object value, Map<String, String> headers) {
        ProducerRecord<String, Object> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        try {
            template.executeInTransaction(ops -> {
                try {
                    return ops.send(record).get(budget.sends().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("send to " + topic + " failed", e);
                }
            });
        } catch (RuntimeException e) {
            throw new ApiException(ApiError.DISPATCH_FAILED, e);
        }
    }
}
