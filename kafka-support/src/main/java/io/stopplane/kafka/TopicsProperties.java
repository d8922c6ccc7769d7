package io.stopplane.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a deployment sizes the topics a service declares ({@code stopplane.topics.*}): one property for every service,
 * so that the API, the dispatcher and the gateway cannot create one topic with different counts. Pre-size partitions:
 * adding some later moves keys.
 */
@ConfigurationProperties("stopplane.topics")
public record TopicsProperties(@DefaultValue("6") int partitions, @DefaultValue("1") short replicationFactor) {
}
