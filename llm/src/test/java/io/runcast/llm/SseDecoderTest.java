package io.runcast.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {
    private final List<String> events = new ArrayList<>();
    private final SseDecoder decoder = new SseDecoder((type, data) -> {
        events.add((type == null ? "" : type + "|") + data);
        return !data.equals("[DONE]");
    }, 64);

    private void feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        decoder.feed(bytes, 0, bytes.length);
    }

    @Test
    void lfCrlfAndCr_allEndLines_evenWhenCrlfIsSplitAcrossFeeds() {
        feed("data: a\n\ndata: b\r\n\r");
        feed("\ndata: c\r\rdata: d\r");
        feed("\n\r\n");

        assertThat(events).containsExactly("a", "b", "c", "d");
    }

    @Test
    void multiByteCharacter_splitByteByByte_isDecodedWhole() {
        byte[] bytes = "data: ü世🌍\n\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) decoder.feed(bytes, i, 1);

        assertThat(events).containsExactly("ü世🌍");
    }

    @Test
    void commentsAreSkipped_dataLinesJoin_andTheEventFieldNamesTheEvent() {
        feed(": keep-alive\n\ndata: one\ndata:two\n\nevent: error\ndata: {}\n\nid: 7\nretry: 10\n\n");

        assertThat(events).containsExactly("one\ntwo", "error|{}");
    }

    @Test
    void afterTheSinkSaysStop_theRestIsIgnored() {
        feed("data: [DONE]\n\ndata: late\n\n");

        assertThat(events).containsExactly("[DONE]");
    }

    @Test
    void aPartialLine_isReportedAsMidEvent_andUndispatchedDataIsKept() {
        feed("data: x\n\ndata: [DO");
        assertThat(decoder.midEvent()).isTrue();
        feed("NE]\n");
        assertThat(decoder.undispatched()).isEqualTo("[DONE]");
        assertThat(events).containsExactly("x");
    }

    @Test
    void aLineLongerThanTheLimit_isMalformed() {
        assertThatThrownBy(() -> feed("data: " + "x".repeat(100)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.MALFORMED_CHUNK));
    }
}
