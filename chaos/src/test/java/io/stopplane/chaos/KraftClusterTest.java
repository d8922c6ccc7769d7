package io.stopplane.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.raft.QuorumConfig;
import org.apache.kafka.server.config.KRaftConfigs;
import org.junit.jupiter.api.Test;

class KraftClusterTest {

    /** The main code has only the client jar: its fallbacks must be the broker's own defaults. */
    @Test
    void theBoundOfAStopAfterANodeLossFallsBackToKafkasDefaults() {
        assertThat(KraftCluster.stopsAcceptedAgainWithin(new Properties())).isEqualTo(Duration.ofMillis(
                QuorumConfig.DEFAULT_QUORUM_FETCH_TIMEOUT_MS + QuorumConfig.DEFAULT_QUORUM_ELECTION_TIMEOUT_MS
                        + KRaftConfigs.BROKER_SESSION_TIMEOUT_MS_DEFAULT + 2 * Tally.MAX_5XX_MILLIS));
    }

    @Test
    void theBoundOfAStopAfterANodeLossIsTheNodesConfiguration() {
        Properties node = new Properties();
        node.setProperty(QuorumConfig.QUORUM_FETCH_TIMEOUT_MS_CONFIG, "1500");
        node.setProperty(QuorumConfig.QUORUM_ELECTION_TIMEOUT_MS_CONFIG, "500");
        node.setProperty(KRaftConfigs.BROKER_SESSION_TIMEOUT_MS_CONFIG, " 2000 ");
        assertThat(KraftCluster.stopsAcceptedAgainWithin(node)).isEqualTo(Duration.ofSeconds(24));
    }
}
