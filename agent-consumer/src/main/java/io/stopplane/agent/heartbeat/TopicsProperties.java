package io.stopplane.agent.heartbeat;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Deployment settings of the topic this module creates. Pre-size partitions: adding some later moves keys. */
@ConfigurationProperties("stopplane.topics")
record TopicsProperties(@DefaultValue("6") int partitions, @DefaultValue("1") short replicationFactor) {
}
