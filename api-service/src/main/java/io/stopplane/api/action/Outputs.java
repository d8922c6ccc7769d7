package io.stopplane.api.action;

import io.stopplane.api.output.OutputStore;
import io.stopplane.model.state.InstanceOutput;
import io.stopplane.model.state.InstanceState;
import io.stopplane.model.state.InvocationState;
import org.springframework.stereotype.Component;

/**
 * The output of one target, for the Describe actions that show it: from the state when it still carries it, else read
 * from {@code invocation-outputs} (only finished runs have any). Empty when none was reported.
 */
@Component
class Outputs {

    private final OutputStore store;

    Outputs(OutputStore store) {
        this.store = store;
    }

    String of(InvocationState invocation, InstanceState instance) {
        if (instance.output() != null) {
            return instance.output();
        }
        if (!instance.status().isTerminal()) {
            return "";
        }
        return store.fetch(invocation.invokeId(), instance.instanceId()).map(InstanceOutput::output).orElse("");
    }
}
