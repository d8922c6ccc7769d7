package io.stopplane.api.support;

import static org.awaitility.Awaitility.await;

import io.stopplane.api.view.AgentRegistry;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.id.InstanceId;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;

/**
 * The one Spring context every API integration test shares (same configuration: cached, started once): the api-service
 * on a random port, an embedded KRaft broker with the five topics, a region without Cloud Assistant, a test authorizer
 * (see {@link TestAuthorizer}), a stand-in dispatcher that folds {@code invocation-events} into
 * {@code invocation-state}, and a switch that makes dispatch fail.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "stopplane.topics.partitions=3",
    "stopplane.api.regions.cn-nocloud.name=No Cloud Assistant",
    "stopplane.api.regions.cn-nocloud.cloud-assistant=false"
})
@EmbeddedKafka(partitions = 3,
        topics = {"invocation-state", "invocation-outputs", "agent-heartbeats", "invocation-events",
            "instance-commands"},
        brokerProperties = {"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
@ActiveProfiles("test")
@Import(TestStack.class)
public abstract class ApiITSupport {

    public static final String REGION = "cn-hangzhou";

    @LocalServerPort
    protected int port;

    /** Actuator's port: apart from the API's. */
    @LocalManagementPort
    protected int managementPort;

    @Autowired
    protected TestKafka kafka;

    @Autowired
    protected AgentRegistry agents;

    @Autowired
    protected InvocationView view;

    protected RpcHttp http;

    /** Waits until the service is healthy: both tables read, the transactional producer initialised. */
    @BeforeEach
    protected void awaitReady() {
        http = new RpcHttp(port, managementPort);
        await().pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(60)).until(() -> http.health() == 200);
    }

    /** Registers instances as their agents would, in {@value #REGION} and without an account, and waits to see them. */
    protected void register(String... instanceIds) {
        registerIn(REGION, null, instanceIds);
    }

    protected void registerIn(String region, String accountId, String... instanceIds) {
        for (String id : instanceIds) {
            kafka.heartbeat(id, region, accountId);
        }
        await().pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(20)).until(() -> Arrays.stream(instanceIds)
                .allMatch(id -> agents.get(InstanceId.of(id)).filter(b -> region.equals(b.regionId().value()))
                        .isPresent()));
    }

    /** RunCommand of {@code sleep 600} on registered instances; returns the InvokeId. */
    protected String run(String... instanceIds) {
        Map<String, String> params = new java.util.LinkedHashMap<>(Map.of("Action", "RunCommand", "RegionId", REGION,
                "Type", "RunShellScript", "CommandContent", "sleep 600"));
        for (int i = 0; i < instanceIds.length; i++) {
            params.put("InstanceId." + (i + 1), instanceIds[i]);
        }
        return http.ok(RpcHttp.Transport.GET, params).get("InvokeId").asString();
    }
}
