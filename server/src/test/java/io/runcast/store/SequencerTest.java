package io.runcast.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.RunStatus;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sequencing rules on their own: no store, no I/O, keys remembered in a plain map. */
class SequencerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Sequencer sequencer = new Sequencer(Duration.ofMinutes(10));
    /** The keys a store would remember, and every key the sequencer asked about. */
    private final Map<String, Event> remembered = new HashMap<>();
    private final List<String> asked = new ArrayList<>();

    private Sequencer.Sequenced sequence(Sequencer.State state, Instant now, EventDraft... drafts) {
        return sequencer.sequence("r", state, List.of(drafts), now, key -> {
            asked.add(key);
            return remembered.get(key);
        });
    }

    /** Sequences like a store would: on success remembers the keys and returns the next state. */
    private Sequencer.Sequenced store(Sequencer.State state, Instant now, EventDraft... drafts) {
        Sequencer.Sequenced s = sequence(state, now, drafts);
        remembered.putAll(s.keys());
        return s;
    }

    private static EventDraft step(int n) {
        return new EventDraft("step.progress", "s1", "a1", "{\"n\":" + n + "}", null);
    }

    private static EventDraft type(String type) {
        return new EventDraft(type, null, null, "{}", null);
    }

    private static ErrorCode refusal(Runnable r) {
        try {
            r.run();
        } catch (RuncastException e) {
            return e.code();
        }
        throw new AssertionError("expected a refusal");
    }

    @Test
    void newRun_getsSeqsFromOne_inDraftOrder_withDraftFields() {
        Sequencer.Sequenced s = store(Sequencer.State.NEW, T0, type("run.started"), step(1), step(2));
        assertThat(s.fresh()).extracting(Event::seq).containsExactly(1L, 2L, 3L);
        assertThat(s.answers()).extracting(Appended::event).isEqualTo(s.fresh());
        assertThat(s.answers()).noneMatch(Appended::duplicate);
        assertThat(s.fresh().get(1)).satisfies(e -> {
            assertThat(e.run()).isEqualTo("r");
            assertThat(e.type()).isEqualTo("step.progress");
            assertThat(e.step()).isEqualTo("s1");
            assertThat(e.agent()).isEqualTo("a1");
            assertThat(e.data()).isEqualTo("{\"n\":1}");
            assertThat(e.time()).isEqualTo(T0);
        });
        assertThat(s.fresh()).extracting(Event::id).doesNotHaveDuplicates();
        assertThat(s.state()).isEqualTo(new Sequencer.State(3, RunStatus.RUNNING, T0));
    }

    @Test
    void seqsContinueFromHead_andStatusFollowsLifecycleTypes() {
        Sequencer.State paused = new Sequencer.State(41, RunStatus.PAUSED, T0);
        Sequencer.Sequenced s = store(paused, T0.plusSeconds(1), step(1), type("run.resumed"), type("run.completed"));
        assertThat(s.fresh()).extracting(Event::seq).containsExactly(42L, 43L, 44L);
        assertThat(s.state().head()).isEqualTo(44);
        assertThat(s.state().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(sequence(paused, T0, type("run.resumed")).state().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void time_isTruncatedToMillis_andNeverGoesBackwardsWithinARun() {
        Instant later = T0.plusSeconds(60);
        Sequencer.State ran = new Sequencer.State(5, RunStatus.RUNNING, later);
        Sequencer.Sequenced behind = sequence(ran, T0.plusNanos(123_456_789), step(1), step(2));
        assertThat(behind.fresh()).extracting(Event::time).containsOnly(later);
        assertThat(behind.state().time()).isEqualTo(later);
        Sequencer.Sequenced ahead = sequence(ran, later.plusNanos(7_654_321), step(1));
        assertThat(ahead.fresh().get(0).time()).isEqualTo(later.plusMillis(7));
        assertThat(ahead.state().time()).isEqualTo(later.plusMillis(7));
    }

    @Test
    void keyRepeatedInsideOneBatch_isADuplicateOfTheFirst() {
        Sequencer.Sequenced s = store(Sequencer.State.NEW, T0, step(1).withKey("k"), step(2).withKey("k"), step(3));
        assertThat(s.answers()).extracting(Appended::duplicate).containsExactly(false, true, false);
        assertThat(s.answers().get(1).event()).isEqualTo(s.answers().get(0).event());
        assertThat(s.fresh()).extracting(Event::seq).containsExactly(1L, 2L);
        assertThat(s.keys()).containsOnlyKeys("k").containsEntry("k", s.fresh().get(0));
        assertThat(asked).as("a run with no events has no keys to look up").isEmpty();
    }

    @Test
    void keyRememberedFromAnEarlierBatch_isADuplicate_appendsNothing() {
        Sequencer.Sequenced first = store(Sequencer.State.NEW, T0, step(1).withKey("a"), step(2).withKey("b"));
        Sequencer.Sequenced retry = store(first.state(), T0.plusSeconds(5), step(2).withKey("b"), step(3).withKey("c"));
        assertThat(retry.answers()).extracting(Appended::duplicate).containsExactly(true, false);
        assertThat(retry.answers().get(0).event()).isEqualTo(first.fresh().get(1));
        assertThat(retry.fresh()).extracting(Event::seq).containsExactly(3L);
        assertThat(retry.keys()).containsOnlyKeys("c");
        assertThat(asked).containsExactly("b", "c");
    }

    @Test
    void rememberedKey_countsOnlyInsideTheWindow_measuredFromTheAppendsTime() {
        Sequencer.Sequenced first = store(Sequencer.State.NEW, T0, step(1).withKey("k"));
        Instant edge = T0.plus(Duration.ofMinutes(10));
        assertThat(sequence(first.state(), edge, step(1).withKey("k")).answers().get(0).duplicate()).isTrue();
        Sequencer.Sequenced late = sequence(first.state(), edge.plusMillis(1), step(1).withKey("k"));
        assertThat(late.answers().get(0).duplicate()).isFalse();
        assertThat(late.fresh()).extracting(Event::seq).containsExactly(2L);
        assertThat(late.keys()).containsOnlyKeys("k");
    }

    @Test
    void zeroWindow_ignoresKeys_andNeverLooksThemUp() {
        Sequencer noKeys = new Sequencer(Duration.ZERO);
        Sequencer.Sequenced s = noKeys.sequence("r", new Sequencer.State(3, RunStatus.RUNNING, T0),
                List.of(step(1).withKey("k"), step(2).withKey("k")), T0, key -> {
                    throw new AssertionError("looked up " + key);
                });
        assertThat(s.fresh()).extracting(Event::seq).containsExactly(4L, 5L);
        assertThat(s.keys()).isEmpty();
    }

    @Test
    void retryWhoseEveryDraftIsADuplicate_isAnsweredAfterTheRunClosed_stateUnchanged() {
        Sequencer.Sequenced done = store(Sequencer.State.NEW, T0, step(1).withKey("s"), type("run.completed").withKey("end"));
        assertThat(done.state().status()).isEqualTo(RunStatus.COMPLETED);
        Sequencer.Sequenced retry = sequence(done.state(), T0.plusSeconds(1), step(1).withKey("s"), type("run.completed").withKey("end"));
        assertThat(retry.answers()).extracting(Appended::duplicate).containsExactly(true, true);
        assertThat(retry.answers()).extracting(Appended::event).isEqualTo(done.fresh());
        assertThat(retry.fresh()).isEmpty();
        assertThat(retry.keys()).isEmpty();
        assertThat(retry.state()).isSameAs(done.state());
    }

    @Test
    void closedRun_refusesABatchWithAnyNewDraft_evenMixedWithDuplicates() {
        Sequencer.Sequenced done = store(Sequencer.State.NEW, T0, step(1).withKey("s"), type("run.failed"));
        Sequencer.State closed = done.state();
        assertThat(refusal(() -> sequence(closed, T0, step(2)))).isEqualTo(ErrorCode.RUN_CLOSED);
        assertThat(refusal(() -> sequence(closed, T0, step(1).withKey("s"), step(2).withKey("new"))))
                .isEqualTo(ErrorCode.RUN_CLOSED);
        // the refusals produced nothing to store: the same state still answers the retry the same way
        assertThat(sequence(closed, T0, step(1).withKey("s")).answers().get(0).event()).isEqualTo(done.fresh().get(0));
        assertThat(closed).isEqualTo(new Sequencer.State(2, RunStatus.FAILED, T0));
    }

    @Test
    void malformedBatch_isRefusedBeforeAnythingElse() {
        Sequencer.State open = new Sequencer.State(7, RunStatus.RUNNING, T0);
        assertThat(refusal(() -> sequence(open, T0, type("run.completed").withKey("k"), step(1)))).isEqualTo(ErrorCode.RUN_CLOSED);
        assertThat(refusal(() -> sequence(open, T0, type("run.cancelled"), type("run.failed")))).isEqualTo(ErrorCode.RUN_CLOSED);
        assertThat(refusal(() -> sequence(open, T0))).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(asked).isEmpty();
        assertThat(sequence(open, T0, step(1), type("run.cancelled")).state().status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void lookupFailure_passesThroughUnchanged() {
        IOException disk = new IOException("disk gone");
        assertThatThrownBy(() -> sequencer.sequence("r", new Sequencer.State(1, RunStatus.RUNNING, T0),
                List.of(step(1).withKey("k")), T0, key -> {
                    throw disk;
                })).isSameAs(disk);
    }

    @Test
    void rememberedEventWithoutItsBody_isStillTheAnswer() {
        Event trimmed = new Event("r", 1, "id-1", "step.progress", T0, null, null, "{}");
        remembered.put("k", trimmed);
        Sequencer.Sequenced s = sequence(new Sequencer.State(9, RunStatus.RUNNING, T0), T0.plusSeconds(1), step(1).withKey("k"));
        assertThat(s.answers().get(0)).isEqualTo(new Appended(trimmed, true));
    }
}
