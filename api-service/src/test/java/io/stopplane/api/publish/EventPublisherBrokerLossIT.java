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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The broker dies after the API has published through it (producer initialised, metadata cached): the next publish
 * still fails with InternalError.Dispatch within the 10 s a client may wait, rather than hanging on the dead broker.
 */
class EventPublisherBrokerLossIT {

    @Test
    void aBrokerLostAfterUseIsADispatchErrorWithinTheBound() {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaKraftBroker(1, 1, "invocation-events", "instance-commands")
                .brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
                        "transaction.state.log.min.isr", "1", "transaction.state.log.num.partitions", "1"));
        broker.afterPropertiesSet();
        ApiProperties props = new ApiProperties("none", Map.of(), Duration.ofSeconds(5), Duration.ofSeconds(20));
        KafkaTemplate<String, Object> template = PublisherConfig.template(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), props);
        EventPublisher publisher = new EventPublisher(template, props);
        boolean up = true;
        try {
            publishAStop(publisher); // succeeds: the producer is now cached with the broker's metadata
            broker.destroy();
            up = false;

            long start = System.nanoTime();
            ApiException e = catchThrowableOfType(ApiException.class, () -> publishAStop(publisher));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            LoggerFactory.getLogger(EventPublisherBrokerLossIT.class).info("dispatch failed after {}", took);
            assertThat(e).isNotNull();
            assertThat(e.error()).isEqualTo(ApiError.DISPATCH_FAILED);
            assertThat(took).as("took %s", took).isLessThan(Duration.ofSeconds(10));
        } finally {
            template.getProducerFactory().reset();
            if (up) {
                broker.destroy();
            }
        }
    }

    private static void publishAStop(EventPublisher publisher) {
        InvokeId invokeId = InvokeId.of("t-loss" + UUID.randomUUID().toString().replace("-", ""));
        InstanceId instanceId = InstanceId.of("i-loss0001");
        Instant now = Instant.now();
        publisher.publish(new StopRequested(UUID.randomUUID().toString(), invokeId, now, List.of(instanceId),
                new Caller(null, null, "127.0.0.1", "R")), List.of(new StopCommand(UUID.randomUUID().toString(),
                invokeId, instanceId, now, "R")));
    }
}
