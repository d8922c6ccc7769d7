package io.stopplane.api.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stopplane.api.config.ApiProperties;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.model.command.StopCommand;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.event.StopRequested;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/** With no broker listening, a publish fails with InternalError.Dispatch well within the 10 s a client may wait. */
class EventPublisherTest {

    private static final Duration CLIENT_BOUND = Duration.ofSeconds(10);

    private KafkaTemplate<String, Object> template;
    private EventPublisher publisher;

    @BeforeEach
    void publisherAgainstAClosedPort() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // nothing listens here once closed
        }
        ApiProperties props = new ApiProperties("none", Map.of(), Duration.ofSeconds(5), Duration.ofSeconds(20));
        template = PublisherConfig.template(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port),
                props);
        publisher = new EventPublisher(template, props);
    }

    @AfterEach
    void close() {
        template.getProducerFactory().reset();
    }

    @Test
    void brokerUnreachableIsADispatchErrorWithinTheBound() {
        for (int attempt = 1; attempt <= 2; attempt++) { // the second finds no cached producer either
            long start = System.nanoTime();
            ApiException e = catchThrowableOfType(ApiException.class, this::publishAStop);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            LoggerFactory.getLogger(EventPublisherTest.class)
                    .info("attempt {}: dispatch failed after {}", attempt, took);
            assertThat(e).as("attempt %d", attempt).isNotNull();
            assertThat(e.error()).isEqualTo(ApiError.DISPATCH_FAILED);
            assertThat(e.getMessage()).isEqualTo("An error occurred when you dispatched the request.");
            assertThat(took).as("attempt %d took %s", attempt, took).isLessThan(CLIENT_BOUND);
        }
    }

    private void publishAStop() {
        InvokeId invokeId = InvokeId.of("t-publishtest");
        InstanceId instanceId = InstanceId.of("i-publishtest");
        Instant now = Instant.now();
        publisher.publish(new StopRequested("e-1", invokeId, now, List.of(instanceId),
                new Caller(null, null, "127.0.0.1", "R")), List.of(new StopCommand("c-1", invokeId, instanceId, now,
                "R")));
    }
}
