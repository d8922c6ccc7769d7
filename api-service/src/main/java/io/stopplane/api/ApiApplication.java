package io.stopplane.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The RPC endpoint that speaks the ECS OpenAPI: RunCommand, StopInvocation, DescribeInvocations,
 * DescribeInvocationResults, DescribeRegions, DescribeCloudAssistantStatus.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(ApiApplication.class, args);
    }
}
