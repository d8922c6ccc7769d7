package io.stopplane.api.support;

import io.stopplane.model.json.StopPlaneJson;
import io.stopplane.model.registry.RegistryEvent;
import io.stopplane.model.registry.RegistryFold;
import io.stopplane.model.registry.RegistryRecord;
import io.stopplane.model.registry.RegistryState;
import io.stopplane.model.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A stand-in for the dispatcher's registry fold: folds {@code registry-events} with the same pure {@link RegistryFold}
 * and writes its records and tombstones to {@code agent-registry}, so the API's registry view sees what it would in
 * production.
 */
class FoldingRegistry extends StandInFold {

    private final Map<String, RegistryState> states = new HashMap<>();

    FoldingRegistry(String bootstrap) {
        super(bootstrap, Topics.REGISTRY_EVENTS.name());
    }

    @Override
    void fold(ConsumerRecord<String, String> r, Output out) throws InterruptedException, ExecutionException {
        RegistryEvent event = StopPlaneJson.mapper().readValue(r.value(), RegistryEvent.class);
        RegistryFold.Result result = RegistryFold.apply(states.get(r.key()), event);
        states.put(r.key(), result.state());
        for (RegistryRecord record : result.records()) {
            out.send(Topics.AGENT_REGISTRY.name(), record.key(),
                    StopPlaneJson.mapper().writerFor(RegistryRecord.class).writeValueAsString(record));
        }
        for (String key : result.tombstones()) {
            out.send(Topics.AGENT_REGISTRY.name(), key, null);
        }
    }
}
