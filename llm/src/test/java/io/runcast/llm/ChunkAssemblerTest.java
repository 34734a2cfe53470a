package io.runcast.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The variants of the chunk format seen in the wild, without sockets. */
class ChunkAssemblerTest {
    private final Recorder recorder = new Recorder();
    private final ChunkAssembler assembler = new ChunkAssembler(recorder);

    private void delta(String delta) {
        assembler.event(null, "{\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}");
    }

    private Completion completion() {
        return assembler.completion(null, 1);
    }

    @Test
    void reasoningSentInBothFields_countsOnce_preferringReasoningContent() {
        delta("{\"reasoning_content\":\"a\",\"reasoning\":\"a\"}");
        delta("{\"reasoning\":\"b\"}");

        assertThat(recorder.events()).containsExactly("reasoning:a", "reasoning:b");
        assertThat(completion().reasoning()).isEqualTo("ab");
    }

    @Test
    void nullAndEmptyContent_deliverNothing() {
        delta("{\"role\":\"assistant\",\"content\":\"\"}");
        delta("{\"content\":null}");

        assertThat(recorder.events()).isEmpty();
        assertThat(completion().content()).isEmpty();
    }

    @Test
    void toolCallsWithoutIndex_startANewCallOnANewId_andOtherwiseContinueTheLast() {
        delta("{\"tool_calls\":[{\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\"\"}}]}");
        delta("{\"tool_calls\":[{\"function\":{\"arguments\":\":1}\"}}]}");
        delta("{\"tool_calls\":[{\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}");

        assertThat(completion().toolCalls()).containsExactly(new ToolCall(0, "a", "f", "{\"x\":1}"), new ToolCall(1, "b", "g", "{}"));
        assertThat(recorder.events()).containsExactly("tool:0:a:f", "tool:1:b:g");
    }

    @Test
    void parallelCallsAllNumberedZero_areToldApartByTheirIds() {
        delta("{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}");
        delta("{\"tool_calls\":[{\"index\":0,\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}");

        assertThat(completion().toolCalls()).extracting(ToolCall::id).containsExactly("a", "b");
    }

    @Test
    void aCallWithoutId_getsOneFromItsIndex() {
        delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}");

        assertThat(completion().toolCalls()).containsExactly(new ToolCall(0, "call_0", "f", "{}"));
    }

    @Test
    void usage_comesFromAChunkWithNullOrEmptyChoices_andIsNullWithoutOne() {
        assertThat(completion().usage()).isNull();
        assembler.event(null, "{\"choices\":null,\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}");
        assertThat(completion().usage()).isEqualTo(new Usage(5, 2));
    }

    @Test
    void done_endsTheStream() {
        assertThat(assembler.event(null, "[DONE]")).isFalse();
        assertThat(assembler.done()).isTrue();
    }

    @Test
    void aChunkThatIsNotAnObject_orHasNoArrayOfChoices_isMalformed() {
        assertThatThrownBy(() -> assembler.event(null, "[1,2]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> assembler.event(null, "{\"choices\":{}}")).hasMessageContaining("choices are not an array");
        assertThatThrownBy(() -> assembler.event(null, "{\"a\":1} trailing")).isInstanceOfSatisfying(LlmException.class,
                e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.MALFORMED_CHUNK));
    }

    @Test
    void anErrorEvent_isAStreamError() {
        assertThatThrownBy(() -> assembler.event("error", "{\"message\":\"quota\"}")).isInstanceOfSatisfying(LlmException.class,
                e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.STREAM_ERROR));
    }
}
