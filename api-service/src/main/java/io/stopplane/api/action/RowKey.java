package io.stopplane.api.action;

import io.stopplane.api.rpc.RpcRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;

/**
 * The position of a row in a Describe listing, newest first: (creation time descending, id, index within the id). A
 * NextToken is the key of the last row returned, so a page continues after it even when newer rows have arrived.
 */
record RowKey(long time, String id, int index) implements Comparable<RowKey> {

    private static final Comparator<RowKey> ORDER = Comparator.comparingLong(RowKey::time).reversed()
            .thenComparing(RowKey::id).thenComparingInt(RowKey::index);
    private static final String VERSION = "1";

    @Override
    public int compareTo(RowKey other) {
        return ORDER.compare(this, other);
    }

    String token() {
        String raw = VERSION + ":" + time + ":" + index + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static RowKey fromToken(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", 4);
            if (parts.length != 4 || !parts[0].equals(VERSION)) {
                throw new IllegalArgumentException(raw);
            }
            return new RowKey(Long.parseLong(parts[1]), parts[3], Integer.parseInt(parts[2]));
        } catch (IllegalArgumentException e) {
            throw RpcRequest.invalid("NextToken", "It is not a token this API issued.");
        }
    }
}
