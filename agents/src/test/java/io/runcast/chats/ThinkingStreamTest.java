package io.runcast.chats;

import static org.assertj.core.api.Assertions.assertThat;

import io.runcast.event.EventTypes;
import org.junit.jupiter.api.Test;

class ThinkingStreamTest {
    @Test
    void tokensBecomeOneEventPerParagraph_andFlushEmitsTheRest() {
        RecordingHandle out = new RecordingHandle();
        ThinkingStream t = new ThinkingStream(out);
        for (String tok : "The user asks for a sum.\n\nI will use the calc".split("(?<= )")) t.add(tok);
        assertThat(out.texts(EventTypes.AGENT_THINKING, "content")).containsExactly("The user asks for a sum.");
        t.add("ulator tool.");
        t.flush();
        assertThat(out.texts(EventTypes.AGENT_THINKING, "content"))
                .containsExactly("The user asks for a sum.", "I will use the calculator tool.");
        assertThat(t.text()).isEqualTo("The user asks for a sum.\n\nI will use the calculator tool.");
        t.flush();
        assertThat(out.drafts).hasSize(2); // nothing pending, nothing emitted
    }

    @Test
    void aLongParagraphIsCutAtASentenceEnd() {
        RecordingHandle out = new RecordingHandle();
        ThinkingStream t = new ThinkingStream(out);
        String sentence = "x".repeat(ThinkingStream.LONG) + ". Next";
        for (char c : sentence.toCharArray()) t.add(String.valueOf(c));
        assertThat(out.texts(EventTypes.AGENT_THINKING, "content")).containsExactly("x".repeat(ThinkingStream.LONG) + ".");
    }
}
