package io.runcast.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.runcast.event.RunStatus;
import io.runcast.store.RunInfo;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The resume rule, case by case (docs/protocol.md, "Resume rule"). */
class ResumePointTest {
    /** A run with seqs 1..2000 of which 1302..2000 are retained. */
    private static Optional<RunInfo> trimmed(RunStatus status) {
        return Optional.of(new RunInfo("r", "E1", status, 2000, 1302, Instant.EPOCH, Instant.EPOCH));
    }

    private static final Optional<RunInfo> OPEN = trimmed(RunStatus.RUNNING);

    @Test
    void absentSince_isWhateverIsRetained_recovered() {
        ResumePoint p = ResumePoint.of(OPEN, null, null);
        assertThat(p.recovered()).isTrue();
        assertThat(p.after()).isEqualTo(1301);
        assertThat(p.first()).isEqualTo(1302);
    }

    @Test
    void sinceZero_meansTheClientHasNothing_soATrimmedStartIsNotRecovered() {
        ResumePoint p = ResumePoint.of(OPEN, 0L, null);
        assertThat(p.recovered()).isFalse();
        assertThat(p.after()).isEqualTo(1301);
    }

    @Test
    void sinceN_recoveredExactlyWhenNPlusOneIsRetained() {
        assertThat(ResumePoint.of(OPEN, 1300L, "E1").recovered()).isFalse();
        ResumePoint p = ResumePoint.of(OPEN, 1301L, "E1");
        assertThat(p.recovered()).isTrue();
        assertThat(p.after()).isEqualTo(1301);
        assertThat(ResumePoint.of(OPEN, 1500L, null).after()).isEqualTo(1500);
        ResumePoint atHead = ResumePoint.of(OPEN, 2000L, "E1");
        assertThat(atHead.recovered()).isTrue();
        assertThat(atHead.complete()).isFalse(); // open: live events follow
    }

    @Test
    void otherEpoch_orClientAheadOfTheStore_isNotRecovered_andStartsAtFirst() {
        ResumePoint otherEpoch = ResumePoint.of(OPEN, 1500L, "E0");
        assertThat(otherEpoch.recovered()).isFalse();
        assertThat(otherEpoch.after()).isEqualTo(1301);
        ResumePoint ahead = ResumePoint.of(OPEN, 2001L, "E1");
        assertThat(ahead.recovered()).isFalse();
        assertThat(ahead.after()).isEqualTo(1301);
    }

    @Test
    void unknownRun_recoveredOnlyForAClientThatHasNothing() {
        assertThat(ResumePoint.of(Optional.empty(), null, null).recovered()).isTrue();
        assertThat(ResumePoint.of(Optional.empty(), 0L, null).recovered()).isTrue();
        assertThat(ResumePoint.of(Optional.empty(), 5L, null).recovered()).isFalse();
        assertThat(ResumePoint.of(Optional.empty(), 0L, "E1").recovered()).isFalse();
        assertThat(ResumePoint.of(Optional.empty(), 5L, null).after()).isZero();
    }

    @Test
    void closedRun_completeOnlyWhenTheClientHasTheTerminalEvent() {
        Optional<RunInfo> done = trimmed(RunStatus.COMPLETED);
        assertThat(ResumePoint.of(done, 2000L, "E1").complete()).isTrue();
        assertThat(ResumePoint.of(done, 2000L, "E1").recovered()).isTrue();
        assertThat(ResumePoint.of(done, 1999L, "E1").complete()).isFalse();
        assertThat(ResumePoint.of(done, 2000L, "E0").complete()).isFalse(); // another stream: replay it
        assertThat(ResumePoint.of(done, 2500L, "E1").complete()).isFalse(); // ahead: replay what exists
        assertThat(ResumePoint.of(done, null, null).complete()).isFalse();
    }
}
