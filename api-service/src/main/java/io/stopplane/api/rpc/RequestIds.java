package io.stopplane.api.rpc;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Alibaba's RequestId: an upper-case UUID for every answer. It names a request in logs and answers and guards nothing,
 * so it comes from each thread's own random generator: {@link UUID#randomUUID()} draws from one shared
 * {@code SecureRandom} whose lock held up to 153 of ~200 request threads in the hostile bench's thread dumps.
 */
public final class RequestIds {

    private RequestIds() {
    }

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & ~(3L << 62)) | (2L << 62); // IETF variant
        return new UUID(high, low).toString().toUpperCase(Locale.ROOT);
    }
}
