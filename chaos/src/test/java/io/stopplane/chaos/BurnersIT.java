package io.stopplane.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stopplane.stack.ProcScan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BurnersIT {

    @Test
    void theBurnersRunUntilClosedAndNoneOutlivesIt() throws Exception {
        List<Long> pids;
        try (Burners burners = Burners.start(2)) {
            pids = burners.pids();
            assertThat(pids).hasSize(2).allMatch(ProcScan::alive);
            // busy: each burns CPU time (utime in /proc/<pid>/stat), it does not sleep
            await().atMost(Duration.ofSeconds(30)).until(() -> pids.stream().allMatch(p -> cpuTicks(p) > 0));
        }
        assertThat(pids).noneMatch(ProcScan::alive);
        assertThat(Burners.start(0).count()).isZero();
    }

    private static long cpuTicks(long pid) {
        String stat;
        try {
            stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
    }
}
