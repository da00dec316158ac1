package io.logsdistributor.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    private final PartitionProgress progress = new PartitionProgress();

    @Test
    void nothingTakenNothingToCommit() {
        assertThat(progress.commitPosition()).isEqualTo(-1);
    }

    @Test
    void anEarlyFinishNeverCommitsPastAnUnfinishedPacket() {
        for (long offset = 10; offset < 15; offset++) {
            progress.taken(offset);
        }
        progress.finished(12);
        progress.finished(14);
        assertThat(progress.commitPosition()).as("10 is not finished").isEqualTo(10);
        progress.finished(10);
        assertThat(progress.commitPosition()).as("11 is not finished").isEqualTo(11);
        progress.committed(11);
        progress.finished(11);
        assertThat(progress.commitPosition()).as("13 is not finished").isEqualTo(13);
        progress.committed(13);
        assertThat(progress.commitPosition()).as("nothing new").isEqualTo(-1);
        progress.finished(13);
        assertThat(progress.commitPosition()).as("all finished: past the last taken").isEqualTo(15);
        assertThat(progress.unfinishedCount()).isZero();
    }

    @Test
    void aFinishFromBeforeARebalanceDoesNotCountForTheRecordTakenAgain() {
        progress.taken(7);
        progress.finished(7);
        progress.committed(progress.commitPosition());
        // taken again (the partition came back), while a stale finish of 8 arrives before 8 is taken
        progress.finished(8);
        progress.taken(8);
        assertThat(progress.commitPosition()).as("8 is committed as the next to read, and unfinished").isEqualTo(-1);
        progress.finished(8);
        assertThat(progress.commitPosition()).isEqualTo(9);
    }

    @Test
    void aFailedCommitIsCoveredByTheNext() {
        progress.taken(0);
        progress.finished(0);
        progress.committed(progress.commitPosition());
        assertThat(progress.commitPosition()).isEqualTo(-1);
        progress.uncommitted();
        assertThat(progress.commitPosition()).isEqualTo(1);
    }
}
