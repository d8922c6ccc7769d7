package io.stopplane.dispatcher.state;

import io.stopplane.model.event.CloudEvents;
import io.stopplane.model.registry.RegistrationOutcome;
import io.stopplane.model.registry.RegistrationRequested;
import io.stopplane.model.registry.RegistryEvent;
import io.stopplane.model.registry.RegistryFold;
import io.stopplane.model.registry.RegistryRecord;
import io.stopplane.model.registry.RegistryState;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.MDC;

/**
 * Applies {@link RegistryFold} to each event of an activation and forwards what it writes: records under their keys,
 * tombstones as null values. The store, the records and the consumed offset commit in one transaction.
 */
class RegistryFoldProcessor implements Processor<String, RegistryEvent, String, RegistryRecord> {

    private final RegistryMetrics metrics;
    private ProcessorContext<String, RegistryRecord> context;
    private KeyValueStore<String, RegistryState> store;

    RegistryFoldProcessor(RegistryMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, RegistryRecord> context) {
        this.context = context;
        this.store = context.getStateStore(RegistryTopology.STORE);
    }

    @Override
    public void process(Record<String, RegistryEvent> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        RegistryEvent event = record.value();
        MDC.put("activationId", record.key());
        if (event instanceof RegistrationRequested request) {
            MDC.put("requestId", request.requestId());
            MDC.put("instanceId", request.instanceId().value());
        }
        try {
            fold(record.key(), event, record.timestamp());
        } finally {
            MDC.remove("activationId");
            MDC.remove("requestId");
            MDC.remove("instanceId");
        }
    }

    private void fold(String key, RegistryEvent event, long timestamp) {
        RegistryState before = store.get(key);
        RegistryFold.Result result = RegistryFold.apply(before, event);
        if (!result.state().equals(before)) {
            store.put(key, result.state());
        }
        if (!result.changed()) {
            return;
        }
        metrics.folded(event);
        for (RegistryRecord r : result.records()) {
            if (r instanceof RegistrationOutcome outcome) {
                metrics.decided(outcome);
            }
            context.forward(new Record<>(r.key(), r, timestamp,
                    headers(CloudEvents.of(r, event, FoldProcessor.SOURCE))));
        }
        for (String tombstone : result.tombstones()) {
            context.forward(new Record<String, RegistryRecord>(tombstone, null, timestamp));
        }
    }

    private static Headers headers(Map<String, String> values) {
        RecordHeaders headers = new RecordHeaders();
        values.forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }
}
