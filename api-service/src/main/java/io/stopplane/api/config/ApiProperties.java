package io.stopplane.api.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API settings.
 *
 * @param authMode {@code none} (local only: refuses to listen beyond loopback) or {@code signature}
 * @param regions the regions this deployment serves, all with Cloud Assistant
 * @param dispatchTimeout how long a publish may take before the client gets InternalError.Dispatch
 */
@ConfigurationProperties("stopplane.api")
public record ApiProperties(
        @DefaultValue("none") String authMode,
        @DefaultValue({"cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "cn-qingdao", "cn-zhangjiakou",
                "cn-huhehaote", "cn-chengdu", "cn-hongkong", "ap-southeast-1", "ap-northeast-1", "us-west-1",
                "us-east-1", "eu-central-1", "eu-west-1"}) List<String> regions,
        @DefaultValue("6s") Duration dispatchTimeout,
        @DefaultValue("6") int partitions,
        @DefaultValue("1") short replicationFactor) {
}
