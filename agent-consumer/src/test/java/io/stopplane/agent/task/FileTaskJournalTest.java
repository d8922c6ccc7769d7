package io.stopplane.agent.task;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopplane.model.error.InstanceErrorCode;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.status.InstanceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTaskJournalTest {

    private static final InstanceId I1 = InstanceId.of("i-test0001");
    private static final InstanceId I2 = InstanceId.of("i-test0002");
    private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
    private static final ProcessRecord PROCESS = new ProcessRecord(4242, 777, 4241, 776, T0.plusSeconds(60), true, null);

    @TempDir
    Path dir;

    @Test
    void aTaskAdmittedOnceIsKnownAfterARestart() {
        TaskKey key = key(I1);
        FileTaskJournal journal = open(T0);

        assertThat(journal.admit(key)).isTrue();
        assertThat(journal.admit(key)).as("a redelivered run").isFalse();
        journal.destroy();

        assertThat(open(T0.plusSeconds(5)).admit(key)).as("after a restart").isFalse();
    }

    @Test
    void whatABatchRecordsIsThereAfterIt() {
        TaskKey first = key(I1);
        TaskKey second = key(I2);
        FileTaskJournal journal = open(T0);
        journal.batch(() -> {
            journal.admit(first);
            journal.started(first, PROCESS);
            journal.admit(second);
            journal.ending(second, "STOPPED");
        });
        journal.destroy();

        assertThat(open(T0.plusSeconds(1)).leftovers()).extracting(Leftover::key)
                .containsExactlyInAnyOrder(first, second);
    }

    @Test
    void everyInstanceSharesOneFileAndForeignInstancesAreRefused() throws Exception {
        FileTaskJournal journal = open(T0);
        TaskKey first = key(I1);
        TaskKey second = key(I2);
        journal.admit(first);
        journal.admit(second);

        assertThat(Files.readString(journal())).contains(first.invokeId().value(), second.invokeId().value(),
                "\"instanceId\":\"i-test0001\"", "\"instanceId\":\"i-test0002\"");
        assertThat(dir.resolve("i-test0001.jsonl")).doesNotExist();
        assertThatThrownBy(() -> journal.admit(key(InstanceId.of("i-other")))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFilesOfAnOlderAgentOneForEachInstanceAreMergedAndRemoved() throws Exception {
        TaskKey running = key(I1);
        TaskKey done = key(I2);
        Files.writeString(dir.resolve("i-test0001.jsonl"), String.join("\n",
                "{\"type\":\"accepted\",\"invokeId\":\"" + running.invokeId() + "\",\"at\":\"" + T0 + "\"}",
                "{\"type\":\"started\",\"invokeId\":\"" + running.invokeId() + "\",\"at\":\"" + T0
                        + "\",\"process\":" + io.stopplane.model.json.StopPlaneJson.mapper().writeValueAsString(PROCESS)
                        + "}", ""));
        Files.writeString(dir.resolve("i-test0002.jsonl"), String.join("\n",
                "{\"type\":\"accepted\",\"invokeId\":\"" + done.invokeId() + "\",\"at\":\"" + T0 + "\"}",
                "{\"type\":\"reported\",\"invokeId\":\"" + done.invokeId() + "\",\"at\":\"" + T0
                        + "\",\"status\":\"Success\"}", ""));

        FileTaskJournal journal = open(T0.plusSeconds(1));

        assertThat(journal.leftovers()).singleElement().satisfies(l -> {
            assertThat(l.key()).isEqualTo(running);
            assertThat(l.process()).isEqualTo(PROCESS);
        });
        assertThat(journal.admit(done)).as("remembered").isFalse();
        assertThat(dir.resolve("i-test0001.jsonl")).doesNotExist();
        assertThat(dir.resolve("i-test0002.jsonl")).doesNotExist();
        journal.destroy();
        assertThat(open(T0.plusSeconds(2)).leftovers()).extracting(Leftover::key).containsExactly(running);
    }

    @Test
    void whatWasLeftUnfinishedIsFoundAtTheNextStart() {
        TaskKey running = key(I1);
        TaskKey stopping = key(I1);
        TaskKey unacknowledged = key(I1);
        TaskKey done = key(I1);
        FileTaskJournal journal = open(T0);
        List.of(running, stopping, unacknowledged, done).forEach(journal::admit);
        journal.started(running, PROCESS);
        journal.reported(running, InstanceStatus.RUNNING);
        journal.started(stopping, PROCESS);
        journal.ending(stopping, "STOPPED");
        journal.finished(unacknowledged, TaskOutcome.ended(InstanceStatus.FAILED, 3, InstanceErrorCode.EXIT_CODE_NONZERO)
                .withOutput("boom\n", 0));
        journal.finished(done, TaskOutcome.cancelled());
        journal.reported(done, InstanceStatus.CANCELLED);
        journal.destroy();

        List<Leftover> leftovers = open(T0.plusSeconds(1)).leftovers();

        assertThat(leftovers).extracting(Leftover::key).containsExactlyInAnyOrder(running, stopping, unacknowledged);
        assertThat(leftovers).filteredOn(l -> l.key().equals(running)).singleElement().satisfies(l -> {
            assertThat(l.process()).isEqualTo(PROCESS);
            assertThat(l.runningReported()).isTrue();
            assertThat(l.ending()).isNull();
        });
        assertThat(leftovers).filteredOn(l -> l.key().equals(stopping)).singleElement()
                .satisfies(l -> assertThat(l.ending()).isEqualTo("STOPPED"));
        assertThat(leftovers).filteredOn(l -> l.key().equals(unacknowledged)).singleElement().satisfies(l -> {
            assertThat(l.outcome().status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(l.outcome().exitCode()).isEqualTo(3);
            assertThat(l.outcome().output()).as("outputs stay in the task's files").isNull();
        });
    }

    @Test
    void aLineTornByACrashIsSkippedAndTheFileRepaired() throws Exception {
        TaskKey first = key(I1);
        TaskKey second = key(I1);
        FileTaskJournal journal = open(T0);
        journal.admit(first);
        journal.destroy();
        Files.writeString(journal(), "{\"type\":\"accepted\",\"instanceId\":\"i-test0001\",\"invokeId\":\"t-",
                StandardOpenOption.APPEND);

        FileTaskJournal reopened = open(T0);
        reopened.admit(second);
        reopened.destroy();

        assertThat(Files.readAllLines(journal(), UTF_8)).hasSize(2)
                .allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
        FileTaskJournal third = open(T0);
        assertThat(third.admit(first)).isFalse();
        assertThat(third.admit(second)).isFalse();
    }

    @Test
    void tasksOverAndReportedAreForgottenAfterTheRetentionAndTheirOutputSooner() throws Exception {
        TaskKey old = key(I1);
        TaskKey recent = key(I1);
        FileTaskJournal journal = open(T0);
        journal.admit(old);
        journal.finished(old, TaskOutcome.ended(InstanceStatus.SUCCESS, 0, null).withOutput("x".repeat(1000), 0));
        journal.reported(old, InstanceStatus.SUCCESS);
        journal.destroy();
        journal = open(T0.plus(Duration.ofDays(7)));
        journal.admit(recent);
        journal.finished(recent, TaskOutcome.ended(InstanceStatus.SUCCESS, 0, null).withOutput("y".repeat(1000), 0));
        journal.reported(recent, InstanceStatus.SUCCESS);
        journal.destroy();

        FileTaskJournal later = open(T0.plus(Duration.ofDays(8)).plusSeconds(1));

        String content = Files.readString(journal());
        assertThat(content).doesNotContain(old.invokeId().value()).contains(recent.invokeId().value())
                .doesNotContain("yyyy");
        assertThat(later.admit(recent)).isFalse();
        assertThat(later.admit(old)).as("forgotten: a run this old is past its delivery deadline anyway").isTrue();
    }

    @Test
    void aFileThatGrewIsCompactedWhileTheAgentRuns() throws Exception {
        MutableClock clock = new MutableClock(T0);
        FileTaskJournal journal = new FileTaskJournal(dir, List.of(I1), Duration.ofDays(8), clock, 4096,
                java.nio.channels.FileChannel::open);
        List<TaskKey> old = java.util.stream.Stream.generate(() -> key(I1)).limit(10).toList();
        for (TaskKey key : old) {
            journal.admit(key);
            journal.finished(key, TaskOutcome.cancelled());
            journal.reported(key, InstanceStatus.CANCELLED);
        }
        clock.now = T0.plus(Duration.ofDays(9));
        TaskKey live = key(I1);
        journal.admit(live);
        journal.started(live, PROCESS);
        for (int i = 0; i < 40 && Files.readString(journal()).contains(old.get(0).invokeId()
                .value()); i++) {
            journal.reported(live, InstanceStatus.RUNNING);
        }

        assertThat(Files.readString(journal())).doesNotContain(old.get(0).invokeId().value())
                .contains(live.invokeId().value());
        assertThat(journal.admit(old.get(0))).as("forgotten").isTrue();
        assertThat(journal.admit(live)).isFalse();
        journal.destroy();
        assertThat(open(clock.now).leftovers()).extracting(Leftover::key).contains(live);
    }

    private static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private FileTaskJournal open(Instant now) {
        return new FileTaskJournal(dir, List.of(I1, I2), Duration.ofDays(8), Clock.fixed(now, ZoneOffset.UTC));
    }

    private Path journal() {
        return dir.resolve(FileTaskJournal.FILE_NAME);
    }

    private static TaskKey key(InstanceId instance) {
        return new TaskKey(InvokeId.random(), instance);
    }
}
