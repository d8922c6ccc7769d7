package io.stopplane.access;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

import io.stopplane.model.topic.TopicSpec;
import io.stopplane.model.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the brokers: the one ACL table of StopPlane, on the topics of the catalogue ({@link Topics}). The brokers
 * deny whatever is not granted here ({@code StandardAuthorizer}, {@code allow.everyone.if.no.acl.found=false}); the
 * broker itself and {@code admin} (used only to apply this table) are super users. {@link KafkaAccessSetup} applies it
 * for {@code bin/stopplane}, the chaos stacks and compose's {@code kafka-init}; docs/security.md shows it as a table.
 *
 * <p>Each service may read what it reads, write what it writes, and create the topics it declares (so whichever starts
 * first creates them with the catalogue's settings). Nobody is granted DELETE, ALTER or ALTER_CONFIGS: no service can
 * delete a topic, change its configs or add partitions; the agent gateway cannot write {@code invocation-state}; the
 * audit CLI can only read.
 */
public final class KafkaAccess {

    /** The broker's own principal (inter-broker and controller traffic): a super user. */
    public static final String BROKER = "broker";
    /** The principal that applies this table and creates the SCRAM users: a super user, used by no service. */
    public static final String ADMIN = "admin";

    /** One grant: these operations on a resource, by its literal name or by a name prefix. */
    public record Grant(ResourceType type, String name, PatternType pattern, Set<AclOperation> operations) {

        public Grant {
            operations = Set.copyOf(operations);
        }
    }

    /** A service's principal ({@code User:<name>}) and all it is granted. */
    public record Principal(String name, List<Grant> grants) {

        public Principal {
            grants = List.copyOf(grants);
        }

    }

    /** The dispatcher's Kafka Streams application id: its group, its internal topics' and transactional ids' prefix. */
    public static final String DISPATCHER_APPLICATION_ID = "stopplane-dispatcher";
    /** Each api-service replica's transactional ids: {@code stopplane-api-<random>-<n>} (PublisherConfig). */
    public static final String API_TRANSACTIONAL_ID_PREFIX = "stopplane-api-";

    public static final Principal API_SERVICE = new Builder("api-service")
            .writes(Topics.INSTANCE_COMMANDS, Topics.INVOCATION_EVENTS, Topics.REGISTRY_EVENTS, Topics.API_NONCES,
                    Topics.COMMAND_LIBRARY)
            .reads(Topics.INVOCATION_EVENTS, Topics.INVOCATION_STATE, Topics.INVOCATION_OUTPUTS, Topics.AGENT_HEARTBEATS,
                    Topics.AGENT_REGISTRY, Topics.API_NONCES, Topics.COMMAND_LIBRARY)
            .deadLetters(Topics.INVOCATION_STATE, Topics.INVOCATION_OUTPUTS, Topics.AGENT_HEARTBEATS, Topics.API_NONCES,
                    Topics.AGENT_REGISTRY, Topics.COMMAND_LIBRARY)
            .transactionalIds(API_TRANSACTIONAL_ID_PREFIX)
            .build();

    public static final Principal DISPATCHER = new Builder("dispatcher")
            // instance-commands: the runs of scheduled invocations
            .writes(Topics.INVOCATION_EVENTS, Topics.INVOCATION_STATE, Topics.INVOCATION_OUTPUTS, Topics.AGENT_REGISTRY,
                    Topics.INSTANCE_COMMANDS)
            .reads(Topics.INVOCATION_EVENTS, Topics.REGISTRY_EVENTS, Topics.AGENT_HEARTBEATS)
            // declared by the dispatcher too: its global heartbeat table and registry fold cannot start without them
            .creates(Topics.AGENT_HEARTBEATS, Topics.REGISTRY_EVENTS)
            .deadLetters(Topics.INVOCATION_EVENTS, Topics.AGENT_HEARTBEATS, Topics.REGISTRY_EVENTS)
            // Kafka Streams: its changelog topics, its group, its exactly-once transactional ids
            .grant(ResourceType.TOPIC, DISPATCHER_APPLICATION_ID + "-", PatternType.PREFIXED, CREATE, READ, WRITE)
            .grant(ResourceType.GROUP, DISPATCHER_APPLICATION_ID, PatternType.LITERAL, READ)
            .transactionalIds(DISPATCHER_APPLICATION_ID + "-")
            .build();

    public static final Principal AGENT_GATEWAY = new Builder("agent-gateway")
            .writes(Topics.INVOCATION_EVENTS, Topics.AGENT_HEARTBEATS, Topics.REGISTRY_EVENTS)
            .reads(Topics.INSTANCE_COMMANDS, Topics.INVOCATION_STATE, Topics.AGENT_REGISTRY)
            .deadLetters(Topics.INSTANCE_COMMANDS, Topics.INVOCATION_STATE, Topics.AGENT_REGISTRY)
            .build();

    /** The audit CLI: reads the catalogue and its dead letters, nothing else. */
    public static final Principal AUDIT = new Builder("audit")
            .reads(Topics.ALL.toArray(TopicSpec[]::new))
            .readsDeadLetters(Topics.ALL.toArray(TopicSpec[]::new))
            .build();

    public static final List<Principal> SERVICES = List.of(API_SERVICE, DISPATCHER, AGENT_GATEWAY, AUDIT);

    /** Every principal that needs a SCRAM credential: the broker, the admin, and each service. */
    public static List<String> users() {
        List<String> users = new ArrayList<>(List.of(BROKER, ADMIN));
        SERVICES.forEach(p -> users.add(p.name()));
        return users;
    }

    /** The table as the brokers hold it: one ALLOW binding per principal, resource and operation. */
    public static List<AclBinding> bindings() {
        List<AclBinding> out = new ArrayList<>();
        for (Principal p : SERVICES) {
            for (Grant g : p.grants()) {
                for (AclOperation op : g.operations().stream().sorted().toList()) {
                    out.add(new AclBinding(new ResourcePattern(g.type(), g.name(), g.pattern()),
                            new AccessControlEntry("User:" + p.name(), "*", op, AclPermissionType.ALLOW)));
                }
            }
        }
        return out;
    }

    /** Collects a principal's grants in the words of the table: reads, writes (and creates), dead letters. */
    private static final class Builder {

        private final String name;
        private final List<Grant> grants = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }

        /** Writes and declares (creates) these topics. */
        Builder writes(TopicSpec... topics) {
            for (TopicSpec t : topics) {
                grant(ResourceType.TOPIC, t.name(), PatternType.LITERAL, WRITE, CREATE);
            }
            return this;
        }

        Builder reads(TopicSpec... topics) {
            for (TopicSpec t : topics) {
                grant(ResourceType.TOPIC, t.name(), PatternType.LITERAL, READ);
            }
            return this;
        }

        Builder creates(TopicSpec... topics) {
            for (TopicSpec t : topics) {
                grant(ResourceType.TOPIC, t.name(), PatternType.LITERAL, CREATE);
            }
            return this;
        }

        /** Writes and declares {@code <topic>-dlt} of each topic it reads (DeadLetters). */
        Builder deadLetters(TopicSpec... topics) {
            for (TopicSpec t : topics) {
                grant(ResourceType.TOPIC, t.deadLetter().name(), PatternType.LITERAL, WRITE, CREATE);
            }
            return this;
        }

        Builder readsDeadLetters(TopicSpec... topics) {
            for (TopicSpec t : topics) {
                grant(ResourceType.TOPIC, t.deadLetter().name(), PatternType.LITERAL, READ);
            }
            return this;
        }

        Builder transactionalIds(String prefix) {
            return grant(ResourceType.TRANSACTIONAL_ID, prefix, PatternType.PREFIXED, WRITE, DESCRIBE);
        }

        Builder grant(ResourceType type, String resource, PatternType pattern, AclOperation... ops) {
            grants.add(new Grant(type, resource, pattern, Set.of(ops)));
            return this;
        }

        Principal build() {
            return new Principal(name, grants);
        }
    }

    private KafkaAccess() {
    }
}
