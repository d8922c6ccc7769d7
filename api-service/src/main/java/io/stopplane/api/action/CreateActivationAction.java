package io.stopplane.api.action;

import io.stopplane.api.auth.ActionAuthorizer;
import io.stopplane.api.registry.RegistryPublisher;
import io.stopplane.api.registry.RegistryView;
import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.error.ApiError;
import io.stopplane.model.event.Caller;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.registry.ActivationCreated;
import io.stopplane.model.registry.IpAddressRange;
import io.stopplane.model.sign.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * CreateActivation: a code that registers up to {@code InstanceCount} instances with the caller's account until
 * {@code TimeToLiveInHours} have passed. The code (192 random bits) is in the answer and nowhere else: only its SHA-256
 * goes to {@code registry-events}. Checks, in order: parameters, region, Cloud Assistant in the region, permission,
 * the account's activation count in the region.
 */
@Component
class CreateActivationAction implements ActionHandler {

    static final int MAX_INSTANCE_COUNT = 1000;
    static final long MAX_TTL_HOURS = 876_576; // 100 years, as Alibaba
    static final int MAX_ACTIVATIONS = 5000; // per account and region, as Alibaba
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Regions regions;
    private final ActionAuthorizer authorizer;
    private final RegistryPublisher publisher;
    private final RegistryView registry;

    CreateActivationAction(Regions regions, ActionAuthorizer authorizer, RegistryPublisher publisher,
            RegistryView registry) {
        this.regions = regions;
        this.authorizer = authorizer;
        this.publisher = publisher;
        this.registry = registry;
    }

    @Override
    public String action() {
        return "CreateActivation";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        RegionId region = regions.parse(request);
        String prefix = request.optional("InstanceName").map(n -> InstanceNames.check(n, 50)).orElse(null);
        String description = request.optional("Description").orElse(null);
        if (description != null && description.length() > 100) {
            throw new ApiException(ApiError.ACTIVATION_DESC_EXCEED_LIMIT);
        }
        int count = (int) bounded(request, "InstanceCount", 10, MAX_INSTANCE_COUNT,
                ApiError.ACTIVATION_LIMITATION_INVALID);
        long ttl = bounded(request, "TimeToLiveInHours", 4, MAX_TTL_HOURS, ApiError.ACTIVATION_TTL_EXCEED_LIMIT);
        String range = request.optional("IpAddressRange").map(String::trim).orElse(null);
        if (range != null && !IpAddressRange.isValid(range)) {
            throw new ApiException(ApiError.ADDRESS_RANGE_INVALID_PATTERN);
        }
        regions.requireCloudAssistant(region);
        Caller caller = authorizer.authorize(request);
        if (Activations.visible(registry, region, caller).count() >= MAX_ACTIVATIONS) {
            throw new ApiException(ApiError.ACTIVATION_COUNT_EXCEED_LIMIT, MAX_ACTIVATIONS);
        }
        String activationId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        String code = code();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ActivationCreated created = new ActivationCreated(UUID.randomUUID().toString(), activationId, now,
                caller.accountId(), region, prefix, count, now.plus(Duration.ofHours(ttl)), range, description,
                Hashing.sha256Hex(code.getBytes(StandardCharsets.UTF_8)), caller);
        publisher.publish(created);
        registry.applyOwn(created);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ActivationId", activationId);
        body.put("ActivationCode", code);
        return body;
    }

    /** {@code a-} and 24 random bytes, URL-safe Base64: 192 bits no one can guess. */
    static String code() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "a-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** An integer in 1..max (else Alibaba's own code for the parameter); not a number: InvalidParameter. */
    private static long bounded(RpcRequest request, String name, long defaultValue, long max, ApiError tooLarge) {
        Optional<String> raw = request.optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(raw.get().trim());
        } catch (NumberFormatException e) {
            throw RpcRequest.invalid(name, "It must be an integer.");
        }
        if (value < 1) {
            throw RpcRequest.invalid(name, "It must be at least 1.");
        }
        if (value > max) {
            throw new ApiException(tooLarge, max);
        }
        return value;
    }
}
