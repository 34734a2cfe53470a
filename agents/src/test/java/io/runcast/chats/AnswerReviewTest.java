package io.runcast.chats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class AnswerReviewTest {
    @Test
    void aCompleteAnswerWithWorkingTools_passesFully() {
        ObjectNode v = AnswerReview.review("The sum of 17 and 25 is 42.", 1, 0);
        assertThat(v.path("score").asDouble()).isEqualTo(1.0);
        assertThat(v.path("passed").asBoolean()).isTrue();
        assertThat(v.path("notes")).isEmpty();
    }

    @Test
    void noAnswer_orFailedTools_areFlaggedWithNotes() {
        ObjectNode none = AnswerReview.review("  ", 0, 0);
        assertThat(none.path("passed").asBoolean()).isFalse();
        assertThat(none.path("notes").toString()).contains("no answer");
        ObjectNode broken = AnswerReview.review("It could be about forty", 3, 2);
        assertThat(broken.path("score").asDouble()).isEqualTo(0.7);
        assertThat(broken.path("notes").toString()).contains("ends mid-sentence", "2 of 3 tool calls failed");
    }
}
