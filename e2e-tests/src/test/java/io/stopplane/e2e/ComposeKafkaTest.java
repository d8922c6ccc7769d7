package io.stopplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.e2e.ComposeFile.Service;
import io.stopplane.model.topic.Topics;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka side of docker-compose.yml: a three-node KRaft cluster that keeps two copies of every acknowledged write, and
 * a topic initialiser that creates exactly the topic catalogue of common-model, with its policies, plus the dead-letter
 * topics the services declare, in the layout the services expect.
 */
class ComposeKafkaTest {

    private static final Pattern CREATE = Pattern.compile("(?m)^\\s*create\\s+(.*)$");
    private static final Pattern CREATE_ARGS = Pattern.compile("([a-z0-9._-]+)((?:\\s+--config\\s+[^\\s=]+=\\S*)*)\\s*");
    private static final Pattern CONFIG = Pattern.compile("--config\\s+([^\\s=]+)=(\\S*)");

    private static ComposeStack stack;

    @BeforeAll
    static void load() throws IOException {
        stack = ComposeStack.load();
    }

    @Test
    void kafkaIsAThreeNodeKraftClusterThatKeepsTwoCopiesOfEveryWrite() {
        List<Service> brokers = stack.brokers();
        assertThat(brokers).as("brokers").hasSize(3);
        Map<String, String> required = Map.of(
                "KAFKA_DEFAULT_REPLICATION_FACTOR", "3",
                "KAFKA_MIN_INSYNC_REPLICAS", "2",
                "KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE", "false",
                "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3",
                "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3",
                "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2",
                "KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        Map<String, String> controllerIds = new LinkedHashMap<>();
        stack.compose().services().values().stream()
                .filter(s -> s.environment().getOrDefault("KAFKA_PROCESS_ROLES", "").contains("controller"))
                .forEach(c -> controllerIds.put(c.hostname(), c.environment().get("KAFKA_NODE_ID")));
        Set<String> nodeIds = new HashSet<>();
        for (Service broker : brokers) {
            Map<String, String> env = broker.environment();
            assertThat(env).as("settings of %s", broker.name()).containsAllEntriesOf(required);
            assertThat(broker.image()).as("image of %s", broker.name()).hasValueSatisfying(i -> assertThat(i).startsWith("apache/kafka:"));
            assertThat(nodeIds.add(env.get("KAFKA_NODE_ID"))).as("node id of %s is unique", broker.name()).isTrue();
            assertThat(env.get("CLUSTER_ID")).as("cluster id of %s", broker.name())
                    .isNotBlank().isEqualTo(brokers.get(0).environment().get("CLUSTER_ID"));
            assertThat(ComposeStack.advertised(broker)).as("advertised listener of %s", broker.name())
                    .startsWith(broker.hostname() + ":");
            assertThat(broker.healthcheck()).as("healthcheck of %s asks that broker", broker.name())
                    .hasValueSatisfying(h -> assertThat(h).contains(ComposeStack.advertised(broker)));
            String voters = env.getOrDefault("KAFKA_CONTROLLER_QUORUM_VOTERS", "");
            assertThat(voters.split(",")).as("controller quorum of %s", broker.name()).hasSizeGreaterThanOrEqualTo(3);
            for (String voter : voters.split(",")) {
                Matcher m = Pattern.compile("(\\d+)@([^:]+):\\d+").matcher(voter);
                assertThat(m.matches()).as("voter %s", voter).isTrue();
                assertThat(controllerIds).as("voter %s is a controller of this file", voter).containsEntry(m.group(2), m.group(1));
            }
        }
    }

    @Test
    void servicesBootstrapFromTheBrokersOfTheCluster() {
        Set<String> advertised = new HashSet<>(stack.brokers().stream().map(ComposeStack::advertised).toList());
        for (Service service : stack.appServices().values()) {
            if (stack.module(service).name().equals("agent-consumer")) {
                // the agent has no Kafka client: not even an address (ComposeFileTest: it knows only its gateway)
                assertThat(service.environment().keySet()).as("Kafka settings of %s", service.name())
                        .noneMatch(v -> v.startsWith("STOPPLANE_KAFKA_") || v.startsWith("STOPPLANE_TOPIC_"));
                continue;
            }
            String bootstrap = stack.resolve(service, "spring.kafka.bootstrap-servers");
            assertThat(bootstrap).as("bootstrap servers of %s", service.name()).isNotBlank();
            List<String> servers = List.of(bootstrap.split(","));
            assertThat(servers).as("bootstrap servers of %s: brokers of the cluster, more than one", service.name())
                    .hasSizeGreaterThanOrEqualTo(2).allSatisfy(s -> assertThat(advertised).contains(s.trim()));
        }
    }

    @Test
    void theTopicInitialiserCreatesExactlyTheCatalogueWithItsPolicies() {
        Service init = initialiser();
        Map<String, Map<String, String>> created = new TreeMap<>();
        Matcher lines = CREATE.matcher(init.script());
        while (lines.find()) {
            if (lines.group(1).startsWith("(")) {
                continue; // the definition: create() { … }
            }
            Matcher args = CREATE_ARGS.matcher(lines.group(1));
            assertThat(args.matches()).as("create line: %s", lines.group()).isTrue();
            Map<String, String> configs = new TreeMap<>();
            CONFIG.matcher(args.group(2)).results().forEach(c -> configs.put(c.group(1), c.group(2)));
            assertThat(created.put(args.group(1), configs)).as("%s created once", args.group(1)).isNull();
        }
        assertThat(created).isEqualTo(expectedTopics());
    }

    @Test
    void theInitialiserUsesTheClusterAndTheLayoutTheServicesDeclareTheirTopicsWith() {
        Service init = initialiser();
        assertThat(init.restart()).as("restart of %s", init.name()).isEqualTo("no");
        assertThat(init.script()).as("script of %s stops at the first failure", init.name()).containsPattern("(-ec|-e |set -e)");
        stack.brokers().forEach(b -> assertThat(init.dependsOn()).containsEntry(b.name(), "service_healthy"));
        String partitions = argument(init, "--partitions");
        String replication = argument(init, "--replication-factor");
        assertThat(replication).as("replication factor of the topics").isEqualTo("3");
        assertThat(Integer.parseInt(partitions)).as("partitions per topic").isGreaterThanOrEqualTo(6);
        for (Service service : stack.appServices().values()) {
            for (String property : stack.module(service).propertyNames()) {
                String expected = property.endsWith("partitions") ? partitions
                        : property.endsWith("replication-factor") || property.endsWith("replication.factor") ? replication
                        : null;
                if (expected != null) {
                    assertThat(stack.resolve(service, property)).as("%s of %s (unset: the module's default)", property,
                            service.name()).isEqualTo(expected);
                }
            }
        }
    }

    /** The catalogue of common-model: its topics and their dead-letter topics, each with its configs. */
    private static Map<String, Map<String, String>> expectedTopics() {
        Map<String, Map<String, String>> expected = new TreeMap<>();
        Stream.concat(Topics.ALL.stream(), Topics.DEAD_LETTERS.stream())
                .forEach(t -> expected.put(t.name(), new TreeMap<>(t.configs())));
        return expected;
    }

    private static Service initialiser() {
        List<Service> inits = stack.topicInitialisers();
        assertThat(inits).as("services running kafka-topics.sh").hasSize(1);
        return inits.get(0);
    }

    /** The value the initialiser passes for {@code option}: a number, or a variable of its environment. */
    private static String argument(Service init, String option) {
        Matcher m = Pattern.compile(Pattern.quote(option) + "\\s+\"?(?:\\$\\{?(\\w+)\\}?|(\\d+))\"?").matcher(init.script());
        assertThat(m.find()).as("%s in the script of %s", option, init.name()).isTrue();
        return m.group(2) != null ? m.group(2) : init.environment().get(m.group(1));
    }
}
