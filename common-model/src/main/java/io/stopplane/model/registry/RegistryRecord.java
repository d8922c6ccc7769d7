package io.stopplane.model.registry;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A value on the compacted {@code agent-registry} topic, written by the dispatcher's registry fold only. Keys say what
 * the value is ({@link RegistryKeys}): {@code activation/<id>}, {@code instance/<id>}, {@code registration/<requestId>}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ActivationRecord.class, name = "Activation"),
    @JsonSubTypes.Type(value = ManagedInstanceRecord.class, name = "ManagedInstance"),
    @JsonSubTypes.Type(value = RegistrationOutcome.class, name = "RegistrationOutcome")
})
public sealed interface RegistryRecord permits ActivationRecord, ManagedInstanceRecord, RegistrationOutcome {

    /** The key this record is written under. */
    String key();
}
