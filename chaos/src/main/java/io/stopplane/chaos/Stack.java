package io.stopplane.chaos;

import java.util.List;
import java.util.Map;

/**
 * The processes under test: a broker (or three) and the three services, each a process of its own that a fault can
 * SIGKILL and start again. {@code bin/stopplane chaos} runs them the way {@code bin/stopplane up} does
 * ({@link LauncherStack}); {@code mvn verify} runs the service jars against an embedded broker.
 */
interface Stack extends AutoCloseable {

    enum Shape {
        /** one broker, one of each service */
        SINGLE,
        /** one broker, two dispatchers sharing the fold's partitions */
        TWO_DISPATCHERS,
        /** three KRaft brokers (each also a controller), replication factor 3, min.insync.replicas=2 */
        CLUSTER
    }

    /**
     * Starts everything for the shape, on a clean state, and returns once every service is healthy.
     *
     * @param runDir where the run keeps what it wants to look at later (the parts' logs are copied there at {@link #down})
     */
    void up(Shape shape, java.nio.file.Path runDir) throws Exception;

    String apiBase();

    /**
     * The port each running service's {@code /actuator/health} answers on, by part name: the HTTP port, but the
     * management port for the api-service (it keeps Actuator off its API port).
     */
    Map<String, Integer> servicePorts();

    /** The instances the agent hosts. */
    List<String> instances();

    /** SIGKILL: no shutdown hook runs, open transactions are left behind. */
    void kill(String part) throws Exception;

    /** Starts a killed part again (same settings, same state) and returns once it is healthy. */
    void start(String part) throws Exception;

    /** The brokers still alive, as a bootstrap list. */
    String bootstrap();

    /** An admin client's config for the brokers still alive: their bootstrap list and a login that may describe all. */
    Map<String, Object> adminConfig() throws java.io.IOException;

    /** The broker that is the active KRaft controller (cluster shape). */
    String activeController() throws Exception;

    /** The configuration a broker of the cluster shape ({@code kafka-<n>}) was started with. */
    java.util.Properties brokerConfig(String broker) throws java.io.IOException;

    /** {@code audit verify} against the brokers still up: exit 0 = the state topic equals the fold of the log. */
    Verified verify();

    /** Stops everything this stack started. */
    void down();

    /** Processes this stack started that are still alive (after {@link #down}: must be none). */
    List<String> leftovers();

    String description();

    @Override
    default void close() {
        down();
    }

    record Verified(boolean ok, String summary) {
    }
}
