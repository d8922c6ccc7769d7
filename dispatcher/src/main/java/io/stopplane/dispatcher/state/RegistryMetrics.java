package io.stopplane.dispatcher.state;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.model.registry.RegistrationError;
import io.stopplane.model.registry.RegistrationOutcome;
import io.stopplane.model.registry.RegistryEvent;

/**
 * The registry fold's meters: events that changed the registry, by type, and registrations decided, by outcome
 * ({@code Accepted} or the refusal's code), every refusal counted.
 */
final class RegistryMetrics {

    static final String ACCEPTED = "Accepted";

    private final MeterRegistry registry;

    RegistryMetrics(MeterRegistry registry) {
        this.registry = registry;
        decisions(ACCEPTED);
        for (RegistrationError error : RegistrationError.values()) {
            decisions(error.code());
        }
    }

    void folded(RegistryEvent event) {
        Counter.builder("stopplane.registry.events.folded").description("events applied to the agent registry")
                .tag("type", event.getClass().getSimpleName()).register(registry).increment();
    }

    void decided(RegistrationOutcome outcome) {
        decisions(outcome.accepted() ? ACCEPTED : outcome.errorCode()).increment();
    }

    private Counter decisions(String outcome) {
        return Counter.builder("stopplane.registrations").description("registrations decided, by outcome")
                .tag("outcome", outcome).register(registry);
    }
}
