package io.stopplane.api.view;

import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import io.stopplane.model.state.InvocationState;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The view's indexes: per account and region, a {@link Shelf} per {@link IndexKeys index key}, newest first; and per
 * account, its ClientTokens. A Describe reads a page from the shelf its filters name instead of scanning and sorting
 * the view, and a RunCommand with a token looks it up in its own account. Updated by the view inside its compute for
 * the invocation, so two updates of one invocation never interleave; an emptied shelf is dropped, so the indexes hold
 * what the view holds and no more.
 */
final class InvocationIndex {

    private final Map<String, Shelf<Position, InvokeId>> shelves = new ConcurrentHashMap<>();
    private final Map<String, InvokeId> tokens = new ConcurrentHashMap<>();

    /** {@code previous} replaced by {@code next} in the view (either may be null: created, removed). */
    void update(InvocationState previous, InvocationState next) {
        Set<String> before = previous == null ? Set.of() : IndexKeys.of(previous);
        Set<String> after = next == null ? Set.of() : IndexKeys.of(next);
        boolean moved = previous != null && next != null
                && (!scope(previous).equals(scope(next)) || !position(previous).equals(position(next)));
        if (previous != null) {
            String scope = scope(previous);
            Position at = position(previous);
            for (String key : before) {
                if (moved || !after.contains(key)) {
                    shelves.computeIfPresent(scope + key, (k, shelf) -> {
                        shelf.remove(at, previous.instances().size());
                        return shelf.isEmpty() ? null : shelf;
                    });
                }
            }
            if (next == null && previous.clientToken() != null) {
                tokens.remove(tokenKey(previous.ownerAccountId(), previous.clientToken()), previous.invokeId());
            }
        }
        if (next != null) {
            String scope = scope(next);
            Position at = position(next);
            for (String key : after) {
                if (moved || !before.contains(key)) {
                    shelves.compute(scope + key, (k, shelf) -> {
                        Shelf<Position, InvokeId> s = shelf == null ? new Shelf<>() : shelf;
                        s.put(at, next.invokeId(), next.instances().size());
                        return s;
                    });
                }
            }
            if (next.clientToken() != null) {
                tokens.putIfAbsent(tokenKey(next.ownerAccountId(), next.clientToken()), next.invokeId());
            }
        }
    }

    Optional<Shelf<Position, InvokeId>> shelf(String accountId, RegionId region, String key) {
        return Optional.ofNullable(shelves.get(scope(accountId, region) + key));
    }

    Optional<InvokeId> token(String accountId, String token) {
        return Optional.ofNullable(tokens.get(tokenKey(accountId, token)));
    }

    static Position position(InvocationState s) {
        Instant created = s.creationTime() == null ? Instant.EPOCH : s.creationTime();
        return new Position(created.toEpochMilli(), s.invokeId().value());
    }

    private static String scope(InvocationState s) {
        return scope(s.ownerAccountId(), s.regionId());
    }

    private static String scope(String accountId, RegionId region) {
        return (accountId == null ? "" : accountId) + "\0" + (region == null ? "" : region.value()) + "\0";
    }

    private static String tokenKey(String accountId, String token) {
        return (accountId == null ? "" : accountId) + "\0" + token;
    }
}
