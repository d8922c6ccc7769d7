package io.stopplane.api.publish;

import java.util.ArrayDeque;
import java.util.Deque;
import org.springframework.kafka.core.NoProducerAvailableException;
import org.springframework.kafka.core.TransactionIdSuffixStrategy;

/**
 * The transactional ids of the API's producer pool: a fixed set of suffixes, {@code 0} to {@code size - 1}, of the
 * factory's one prefix. The id given back last is taken first, so the producer that replaces a failed one takes its
 * id again: the coordinator that holds that id only bumps its epoch (and aborts what the failed one left open), where
 * a new id would need a coordinator lookup and a new producer id. With every id in use, one more producer is refused
 * at once rather than made with a new id.
 */
final class StableTransactionalIds implements TransactionIdSuffixStrategy {

    private final int size;
    private final Deque<String> free = new ArrayDeque<>();

    StableTransactionalIds(int size) {
        this.size = size;
        for (int i = size - 1; i >= 0; i--) {
            free.push(String.valueOf(i));
        }
    }

    @Override
    public synchronized String acquireSuffix(String txIdPrefix) {
        String suffix = free.poll();
        if (suffix == null) {
            throw new NoProducerAvailableException("all " + size + " transactional producers are in use",
                    String.valueOf(txIdPrefix));
        }
        return suffix;
    }

    @Override
    public synchronized void releaseSuffix(String txIdPrefix, String suffix) {
        if (suffix != null && !free.contains(suffix)) {
            free.push(suffix);
        }
    }
}
