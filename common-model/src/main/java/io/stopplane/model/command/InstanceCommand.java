package io.stopplane.model.command;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.time.Instant;

/**
 * A command for one instance on {@code instance-commands}, keyed by instance id. Runs and stops share the topic so that,
 * per instance, a stop is always read after the run it stops.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = RunCommand.class, name = "RunCommand"),
    @JsonSubTypes.Type(value = StopCommand.class, name = "StopCommand")
})
public sealed interface InstanceCommand permits RunCommand, StopCommand {

    String commandEventId();

    InvokeId invokeId();

    InstanceId instanceId();

    Instant issuedAt();
}
