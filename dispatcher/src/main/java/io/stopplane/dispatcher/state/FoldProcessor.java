package io.stopplane.dispatcher.state;

import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies the fold to each event and forwards the new state when it changed. The store and the output are written in
 * the same Kafka transaction as the consumed offsets (processing.guarantee=exactly_once_v2), so a crash never applies an
 * event twice or loses one.
 */
class FoldProcessor implements Processor<String, InvocationEvent, String, InvocationState> {

    private ProcessorContext<String, InvocationState> context;
    private KeyValueStore<String, InvocationState> store;

    @Override
    public void init(ProcessorContext<String, InvocationState> context) {
        this.context = context;
        this.store = context.getStateStore(FoldTopology.STORE);
    }

    @Override
    public void process(Record<String, InvocationEvent> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        InvocationState before = store.get(record.key());
        InvocationState after = InvocationFold.apply(before, record.value());
        if (after != null && after != before) {
            store.put(record.key(), after);
            context.forward(record.withValue(after));
        }
    }
}
