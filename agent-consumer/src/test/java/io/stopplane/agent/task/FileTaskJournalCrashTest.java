package io.stopplane.agent.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.status.InstanceStatus;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit against a power cut: a record whose call returned (it was acknowledged) is never lost, however many
 * threads share each flush; what was only written is.
 */
class FileTaskJournalCrashTest {

    private static final List<InstanceId> INSTANCES = List.of(InstanceId.of("i-test0001"), InstanceId.of("i-test0002"),
            InstanceId.of("i-test0003"));
    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
    private static final ProcessRecord PROCESS = new ProcessRecord(4242, 777, 4241, 776, T0, true, null);
    private static final int WRITERS = 6;

    @TempDir
    Path dir;

    /** What a writer was told is durable: the call returned. */
    private record Acknowledged(TaskKey key, String type) {
    }

    @Test
    void noRecordAcknowledgedBeforeAPowerCutIsLost() throws Exception {
        LossyDisk disk = new LossyDisk();
        FileTaskJournal journal = open(disk);
        Queue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            boolean batched = w % 2 == 0; // as the intake writes, and as the threads that watch commands do
            Thread writer = new Thread(() -> write(journal, batched, acknowledged), "writer-" + w);
            writer.start();
            writers.add(writer);
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> acknowledged.size() >= 3000);

        disk.cut();
        for (Thread writer : writers) {
            writer.join(Duration.ofMinutes(1).toMillis());
            assertThat(writer.isAlive()).as("a writer stops once the disk fails it").isFalse();
        }
        journal.destroy();

        FileTaskJournal after = open(FileChannel::open);
        Map<TaskKey, Leftover> leftovers = after.leftovers().stream()
                .collect(Collectors.toMap(Leftover::key, Function.identity()));
        assertThat(acknowledged).allSatisfy(ack -> {
            Leftover left = leftovers.get(ack.key());
            assertThat(left).as("%s acknowledged, then lost", ack).isNotNull();
            switch (ack.type()) {
                case JournalEntry.ACCEPTED -> { }
                case JournalEntry.STARTED -> assertThat(left.process()).as("%s", ack).isEqualTo(PROCESS);
                case JournalEntry.ENDING -> assertThat(left.ending()).as("%s", ack).isEqualTo("STOPPED");
                default -> throw new AssertionError(ack.type());
            }
        });
        List<TaskKey> admitted = acknowledged.stream().filter(a -> a.type().equals(JournalEntry.ACCEPTED))
                .map(Acknowledged::key).toList();
        assertThat(admitted).allSatisfy(key -> assertThat(after.admit(key)).as("never run twice: " + key).isFalse());
        after.destroy();
    }

    @Test
    void whatWasOnlyWrittenIsLostByAPowerCut() throws Exception {
        LossyDisk disk = new LossyDisk();
        FileTaskJournal journal = open(disk);
        TaskKey key = new TaskKey(InvokeId.random(), INSTANCES.get(0));
        journal.admit(key);
        journal.reported(key, InstanceStatus.RUNNING); // written, not waited for

        disk.cut();
        journal.destroy();

        Leftover left = open(FileChannel::open).leftovers().get(0);
        assertThat(left.key()).isEqualTo(key);
        assertThat(left.runningReported()).as("the acknowledgement, never flushed, is gone: the report is sent again")
                .isFalse();
    }

    @Test
    void aBatchOfRecordsOfSeveralInstancesIsOneFlush() {
        FileTaskJournal journal = open(FileChannel::open);
        long before = journal.flushes();

        journal.batch(() -> {
            for (int i = 0; i < 60; i++) {
                TaskKey key = new TaskKey(InvokeId.random(), INSTANCES.get(i % INSTANCES.size()));
                journal.admit(key);
                journal.ending(key, "STOPPED");
            }
        });

        assertThat(journal.flushes() - before).isEqualTo(1);
        journal.destroy();
    }

    @Test
    void afterAFailedFlushNothingMoreIsAcknowledged() {
        LossyDisk disk = new LossyDisk();
        FileTaskJournal journal = open(disk);
        disk.failNextFlush();

        assertThatThrownBy(() -> journal.admit(new TaskKey(InvokeId.random(), INSTANCES.get(0))))
                .isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> journal.admit(new TaskKey(InvokeId.random(), INSTANCES.get(1))))
                .as("the disk flushes again, but what the failed flush held may be gone")
                .isInstanceOf(UncheckedIOException.class);
        journal.destroy();
    }

    private static void write(FileTaskJournal journal, boolean batched, Queue<Acknowledged> acknowledged) {
        try {
            for (int round = 0; ; round++) {
                List<TaskKey> keys = new ArrayList<>();
                for (int i = 0; i < (batched ? 8 : 1); i++) {
                    keys.add(new TaskKey(InvokeId.random(), INSTANCES.get((round + i) % INSTANCES.size())));
                }
                if (batched) {
                    journal.batch(() -> keys.forEach(journal::admit));
                    keys.forEach(k -> acknowledged.add(new Acknowledged(k, JournalEntry.ACCEPTED)));
                    journal.batch(() -> keys.forEach(k -> journal.ending(k, "STOPPED")));
                    keys.forEach(k -> acknowledged.add(new Acknowledged(k, JournalEntry.ENDING)));
                } else {
                    TaskKey key = keys.get(0);
                    journal.admit(key);
                    acknowledged.add(new Acknowledged(key, JournalEntry.ACCEPTED));
                    journal.started(key, PROCESS);
                    acknowledged.add(new Acknowledged(key, JournalEntry.STARTED));
                    journal.reported(key, InstanceStatus.RUNNING);
                }
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            // the power cut
        }
    }

    private FileTaskJournal open(JournalFile.Opener opener) {
        return new FileTaskJournal(dir, INSTANCES, Duration.ofDays(8), Clock.fixed(T0, ZoneOffset.UTC),
                Long.MAX_VALUE / 4, opener);
    }
}
