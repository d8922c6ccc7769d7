package io.stopplane.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * An open-loop schedule: call {@code i} is due at {@code start + i / rate}, whether or not earlier calls have answered,
 * and its latency counts from that instant (no coordinated omission: a stalled client or server shows in the numbers).
 */
final class OpenLoop {

    interface Call {
        void run(int index, long dueNanos);
    }

    private OpenLoop() {
    }

    /** Issues {@code count} calls from {@code startNanos} on {@code pool}; returns once the last one is handed over. */
    static int run(double ratePerSecond, long startNanos, int count, ExecutorService pool, Call call,
            BooleanSupplier keepGoing) {
        double interval = 1e9 / ratePerSecond;
        int i = 0;
        for (; i < count && keepGoing.getAsBoolean(); i++) {
            long due = startNanos + (long) (i * interval);
            waitUntil(due);
            int index = i;
            pool.execute(() -> call.run(index, due));
        }
        return i;
    }

    static void waitUntil(long dueNanos) {
        long left;
        while ((left = dueNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** A pool of daemon threads for blocking calls. */
    static ThreadPoolExecutor pool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
