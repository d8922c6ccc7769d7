package io.stopplane.dispatcher.topics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Deployment settings of the topics this module creates. Pre-size partitions: adding some later moves keys. */
@ConfigurationProperties("stopplane.topics")
public record TopicsProperties(@DefaultValue("6") int partitions, @DefaultValue("1") short replicationFactor) {
}
