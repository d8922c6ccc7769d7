package io.stopplane.audit;

/** The help text. */
final class Usage {

    static final String TEXT = """
            Usage: audit <command> [options]            (from the launcher: bin/stopplane audit ...)

            Replays StopPlane's topics, from the start or from a point in time, up to where they ended when the
            command started. Reads committed records only (read_committed); joins no consumer group.

              timeline   the events of invocations in log order: time, event, instances, caller (account,
                         AccessKeyId, source IP, RequestId) and the status change each made
                --invoke-id t-...       one invocation (only its partition is read)
                --instance-id i-...     events that name this target (a stop of all targets counts)
                --account ID            events this account made, and events of invocations it owns
                --since TIME            events at or after TIME; reading starts at offsetsForTimes(TIME - 5m)
                --until TIME            events before TIME
                --type T[,T...]         InvocationCreated, StopRequested, InstanceStatusReported, TimeoutDetected
                --format table|json     json: one object per line, the event verbatim under "event"
              verify     folds all of invocation-events with the dispatcher's fold and compares the result with the
                         latest record of each invocation on invocation-state; prints every mismatch
              dlt        the dead-letter topics (<topic>-dlt): a count per topic, then each record with where it
                         came from (kafka_dlt-original-*) and why (kafka_dlt-exception-*)
                --topic NAME            only this DLT (its name, or the name of the topic it serves)
                --format table|json
              help       this text

            Every command: --bootstrap HOST:PORT (default: $STOPPLANE_KAFKA_BOOTSTRAP, else 127.0.0.1:9092)
            TIME: 2026-11-27T09:15:55Z, 2026-11-27T10:15:55+01:00, 2026-11-27 (UTC), or an age: 30s, 15m, 2h, 7d
            At a terminal, progress (records read, rate) goes to stderr.
            Exit status: 0 done, 1 verify found a mismatch, 2 usage error, 3 could not read (broker, topic)
            """;

    private Usage() {
    }
}
