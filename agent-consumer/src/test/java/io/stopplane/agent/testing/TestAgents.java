package io.stopplane.agent.testing;

import io.stopplane.agent.AgentProperties;
import java.nio.file.Path;
import java.time.Duration;

/** Agent settings for unit tests: short graces keep the tests fast. */
public final class TestAgents {

    public static final String INSTANCE = "i-test0001";

    private TestAgents() {
    }

    public static AgentProperties properties(Path stateDir) {
        return new AgentProperties(stateDir, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(60),
                Duration.ofDays(8));
    }
}
