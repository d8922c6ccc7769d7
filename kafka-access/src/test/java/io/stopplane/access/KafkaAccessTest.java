package io.stopplane.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.topic.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaAccessTest {

    @Test
    void noPrincipalMayDeleteAlterOrChangeConfigsOfAnything() {
        assertThat(KafkaAccess.bindings()).extracting(b -> b.entry().operation())
                .doesNotContain(AclOperation.DELETE, AclOperation.ALTER, AclOperation.ALTER_CONFIGS, AclOperation.ALL,
                        AclOperation.CLUSTER_ACTION, AclOperation.IDEMPOTENT_WRITE);
        assertThat(KafkaAccess.bindings()).extracting(b -> b.pattern().resourceType())
                .doesNotContain(ResourceType.CLUSTER);
    }

    @Test
    void theGatewayCannotWriteTheStateNorReadOtherStreams() {
        assertThat(on("agent-gateway", Topics.INVOCATION_STATE.name())).containsExactly(AclOperation.READ);
        assertThat(on("agent-gateway", Topics.INVOCATION_EVENTS.name()))
                .containsExactlyInAnyOrder(AclOperation.WRITE, AclOperation.CREATE);
        assertThat(on("agent-gateway", Topics.API_NONCES.name())).isEmpty();
    }

    @Test
    void theAuditOnlyReads() {
        assertThat(KafkaAccess.bindings()).filteredOn(b -> b.entry().principal().equals("User:audit"))
                .extracting(b -> b.entry().operation()).containsOnly(AclOperation.READ);
    }

    @Test
    void onlyTheDispatcherWritesTheState() {
        assertThat(KafkaAccess.bindings())
                .filteredOn(b -> b.pattern().name().equals(Topics.INVOCATION_STATE.name())
                        && b.entry().operation() == AclOperation.WRITE)
                .extracting(b -> b.entry().principal()).containsExactly("User:dispatcher");
    }

    @Test
    void prefixesAreOnlyForStreamsAndTransactions() {
        assertThat(KafkaAccess.bindings()).filteredOn(b -> b.pattern().patternType() == PatternType.PREFIXED)
                .extracting(b -> b.pattern().resourceType() + ":" + b.pattern().name())
                .containsOnly("TOPIC:stopplane-dispatcher-", "TRANSACTIONAL_ID:stopplane-dispatcher-",
                        "TRANSACTIONAL_ID:stopplane-api-");
    }

    @Test
    void theCredentialsFileGetsAPasswordForEveryUserOnceAndIsTheOwnersOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka-credentials");
        Map<String, String> first = KafkaAccessSetup.credentials(file);
        assertThat(first.keySet()).containsExactlyInAnyOrderElementsOf(KafkaAccess.users());
        assertThat(first.values()).allMatch(p -> p.matches("[0-9a-f]{48}")).doesNotHaveDuplicates();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(KafkaAccessSetup.credentials(file)).isEqualTo(first);
        assertThat(KafkaAccessSetup.read(file)).isEqualTo(first);
    }

    private static java.util.List<AclOperation> on(String principal, String topic) {
        return KafkaAccess.bindings().stream()
                .filter(b -> b.entry().principal().equals("User:" + principal)
                        && b.pattern().resourceType() == ResourceType.TOPIC && b.pattern().name().equals(topic))
                .map(AclBinding::entry).map(e -> e.operation()).toList();
    }
}
