package io.stopplane.gateway.register;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.gateway.config.GatewayProperties;
import io.stopplane.gateway.kafka.Publisher;
import io.stopplane.gateway.registry.RegistryView;
import io.stopplane.model.event.CloudEvents;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.registry.ManagedInstanceRecord;
import io.stopplane.model.registry.RegistrationError;
import io.stopplane.model.registry.RegistrationOutcome;
import io.stopplane.model.registry.RegistrationRequested;
import io.stopplane.model.sign.Hashing;
import io.stopplane.model.topic.Topics;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /agent/v1/register}: checks the request's shape, proposes an instance id, writes
 * {@link RegistrationRequested} to {@code registry-events} and answers with the registry fold's verdict (the fold alone
 * decides: code, expiry, disabled, count, address range). The activation code is hashed at once and never logged or
 * written. An activation this gateway has never heard of is refused without writing anything.
 */
@RestController
class RegistrationController {

    private static final Logger log = LoggerFactory.getLogger(RegistrationController.class);
    static final String METER = "stopplane.gateway.registrations";
    private static final Duration ACTIVATION_GRACE = Duration.ofSeconds(5);
    private static final Duration ACTIVATION_POLL = Duration.ofMillis(50);
    private static final String INSTANCE_ID_TAKEN = RegistrationError.INSTANCE_ID_TAKEN.code();
    private static final int PROPOSALS = 3;

    private final RegistryView registry;
    private final Publisher publisher;
    private final GatewayProperties props;
    private final MeterRegistry meters;

    RegistrationController(RegistryView registry, Publisher publisher, GatewayProperties props, MeterRegistry meters) {
        this.registry = registry;
        this.publisher = publisher;
        this.props = props;
        this.meters = meters;
        counter("accepted");
    }

    @PostMapping(path = "/agent/v1/register", consumes = "application/json", produces = "application/json")
    Mono<ResponseEntity<Map<String, String>>> register(@RequestBody RegistrationRequest request,
            ServerHttpRequest http) {
        try {
            request.validate();
        } catch (IllegalArgumentException e) {
            return Mono.just(refuse(HttpStatus.BAD_REQUEST, "InvalidParameter", e.getMessage(), request));
        }
        return knownActivation(request.activationId()).flatMap(known -> known ? request(request, http)
                : Mono.just(refuse(HttpStatus.NOT_FOUND, RegistrationError.NOT_FOUND.code(),
                        RegistrationError.NOT_FOUND.message(), request)));
    }

    /**
     * Whether the activation is in the registry view, or may be: not caught up yet. One created a moment ago may not
     * have reached this gateway yet (an install script registers right after CreateActivation): it is given a moment.
     */
    private Mono<Boolean> knownActivation(String activationId) {
        if (!registry.ready() || registry.activation(activationId).isPresent()) {
            return Mono.just(true);
        }
        return Flux.interval(ACTIVATION_POLL).map(tick -> registry.activation(activationId).isPresent())
                .filter(Boolean::booleanValue).next().timeout(ACTIVATION_GRACE, Mono.just(false));
    }

    private Mono<ResponseEntity<Map<String, String>>> request(RegistrationRequest request, ServerHttpRequest http) {
        InetSocketAddress remote = http.getRemoteAddress();
        String address = remote == null ? null : remote.getAddress().getHostAddress();
        String codeHash = Hashing.sha256Hex(request.activationCode().getBytes(UTF_8));
        return propose(request, address, codeHash, PROPOSALS)
                .timeout(props.registrationTimeout())
                .map(outcome -> answer(outcome, request))
                .onErrorResume(e -> {
                    log.warn("registration with activation {}: no verdict ({})", request.activationId(),
                            e instanceof TimeoutException ? "timed out" : e.toString());
                    return Mono.just(refuse(HttpStatus.SERVICE_UNAVAILABLE, "ServiceUnavailable",
                            "The registration could not be decided now; try again later.", request));
                });
    }

    /**
     * Writes one request with a fresh instance id and waits for its verdict; a proposed id that happens to be taken
     * already (1 in 2^100) is proposed anew, a few times.
     */
    private Mono<RegistrationOutcome> propose(RegistrationRequest request, String address, String codeHash,
            int proposals) {
        String requestId = UUID.randomUUID().toString();
        InstanceId proposed = InstanceId.of("mi-" + GatewayProperties.randomBase32(20));
        RegistrationRequested event = new RegistrationRequested(UUID.randomUUID().toString(), request.activationId(),
                Instant.now(), requestId, proposed, codeHash, request.publicKey(), request.keyAlgorithm(), address,
                request.hostname(), request.osType(), request.agentVersion(), props.id());
        CompletableFuture<RegistrationOutcome> verdict = registry.awaitOutcome(requestId, proposed);
        return Mono.fromFuture(publisher.send(Topics.REGISTRY_EVENTS.name(), request.activationId(), event,
                        CloudEvents.of(event, props.source())))
                .then(Mono.fromFuture(verdict))
                // timed out, broker away, or the agent went: either way nobody waits for this verdict any more
                .doFinally(signal -> verdict.cancel(false))
                .flatMap(outcome -> INSTANCE_ID_TAKEN.equals(outcome.errorCode()) && proposals > 1
                        ? propose(request, address, codeHash, proposals - 1) : Mono.just(outcome));
    }

    private ResponseEntity<Map<String, String>> answer(RegistrationOutcome outcome, RegistrationRequest request) {
        if (!outcome.accepted()) {
            HttpStatus status = outcome.errorCode().equals(RegistrationError.NOT_FOUND.code()) ? HttpStatus.NOT_FOUND
                    : outcome.errorCode().equals(RegistrationError.INVALID_PUBLIC_KEY.code()) ? HttpStatus.BAD_REQUEST
                    : HttpStatus.FORBIDDEN;
            return refuse(status, outcome.errorCode(), outcome.errorMessage(), request);
        }
        ManagedInstanceRecord record = registry.instance(outcome.instanceId()).orElseThrow();
        counter("accepted").increment();
        log.info("registered {} with activation {}", record.instanceId(), request.activationId());
        return ResponseEntity.ok(Map.of("instanceId", record.instanceId().value(),
                "regionId", record.regionId() == null ? "" : record.regionId().value()));
    }

    private ResponseEntity<Map<String, String>> refuse(HttpStatus status, String code, String message,
            RegistrationRequest request) {
        counter(code).increment();
        log.info("registration refused: {} (activation {})", code,
                request == null || request.activationId() == null ? "-" : safe(request.activationId()));
        return ResponseEntity.status(status).body(Map.of("code", code, "message", String.valueOf(message)));
    }

    /** An unreadable body (not JSON, wrong types, too large). */
    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<Map<String, String>> unreadable(ServerWebInputException e) {
        return refuse(HttpStatus.BAD_REQUEST, "InvalidParameter", "The body must be one JSON object as "
                + "docs/agent-gateway.md describes.", null);
    }

    private Counter counter(String outcome) {
        return Counter.builder(METER).tag("outcome", outcome)
                .description("agent registrations by outcome: accepted, or the refusal's code").register(meters);
    }

    /** An activation id the shape check has not passed yet is logged only as far as it is harmless. */
    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9-]", "?").substring(0, Math.min(64, s.length()));
    }
}
