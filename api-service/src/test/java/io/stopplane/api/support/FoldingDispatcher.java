package io.stopplane.api.support;

import io.stopplane.model.event.InvocationEvent;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.state.InstanceOutput;
import io.stopplane.model.state.InvocationFold;
import io.stopplane.model.state.InvocationState;
import io.stopplane.model.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A stand-in for the dispatcher's invocation fold: folds {@code invocation-events} with the same pure fold and writes
 * each new state to {@code invocation-state} and each reported output to {@code invocation-outputs}, as the dispatcher
 * does, so the API sees what it would in production: StopTime, Stopping, reported outcomes and outputs. It writes the
 * whole state under the invocation's key each time, not the dispatcher's target records: a reader takes either (the
 * view's handling of target records is tested in InvocationViewTest and by the e2e tests with the real dispatcher).
 */
class FoldingDispatcher extends StandInFold {

    private final Map<InvokeId, InvocationState> states = new HashMap<>();

    FoldingDispatcher(String bootstrap) {
        super(bootstrap, Topics.INVOCATION_EVENTS.name());
    }

    @Override
    void fold(ConsumerRecord<String, String> r, Output out) throws InterruptedException, ExecutionException {
        InvocationEvent event = StopPlaneJson.mapper().readValue(r.value(), InvocationEvent.class);
        InvocationState before = states.get(event.invokeId());
        InvocationState after = InvocationFold.apply(before, event);
        if (after != null && after != before) {
            for (InstanceOutput output : after.outputs()) {
                out.send(Topics.INVOCATION_OUTPUTS.name(), output.key(),
                        StopPlaneJson.mapper().writeValueAsString(output));
            }
            InvocationState stored = after.withoutOutputs();
            states.put(event.invokeId(), stored);
            out.send(Topics.INVOCATION_STATE.name(), r.key(), StopPlaneJson.mapper().writeValueAsString(stored));
        }
    }
}
