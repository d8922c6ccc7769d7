package io.stopplane.agent.testing;

import io.stopplane.agent.AgentProperties;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.RegionId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Agent settings for unit tests: short graces keep the tests fast. */
public final class TestAgents {

    public static final String INSTANCE = "i-test0001";

    private TestAgents() {
    }

    public static AgentProperties properties(Path stateDir) {
        return new AgentProperties(List.of(InstanceId.of(INSTANCE)), RegionId.of("cn-hangzhou"), stateDir,
                Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofDays(8), null, null);
    }
}
