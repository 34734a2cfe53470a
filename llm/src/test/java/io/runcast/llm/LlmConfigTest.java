package io.runcast.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runcast.event.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlmConfigTest {

    @Test
    void endpoint_isTheBaseWithChatCompletions_trailingSlashOrNot() {
        assertThat(LlmConfig.of("https://api.openai.com/v1/", "gpt-4o", "k").endpoint().toString())
                .isEqualTo("https://api.openai.com/v1/chat/completions");
        assertThat(LlmConfig.of("http://localhost:11434/v1", "llama3", null).endpoint().toString())
                .isEqualTo("http://localhost:11434/v1/chat/completions");
    }

    @Test
    void toString_neverPrintsTheKey() {
        LlmConfig config = LlmConfig.of("https://api.openai.com/v1", "gpt-4o", "sk-secret-123");

        assertThat(config.toString()).doesNotContain("sk-secret-123").contains("key set", "gpt-4o", "chat/completions");
        assertThat(LlmConfig.of("http://localhost:8000/v1", "m", " ").apiKey()).isNull();
    }

    @Test
    void invalidValues_areRejectedWithMessagesThatSayWhatIsWrong() {
        assertThatThrownBy(() -> LlmConfig.of("api.openai.com/v1", "m", null)).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> LlmConfig.of("https://api.openai.com/v1/chat/completions", "m", null)).hasMessageContaining("appends /chat/completions");
        assertThatThrownBy(() -> LlmConfig.of("https://x/v1", " ", null)).hasMessageContaining("model must be set");
        LlmConfig ok = LlmConfig.of("https://x/v1", "m", null);
        assertThatThrownBy(() -> ok.withTimeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1))).hasMessageContaining("connectTimeout must be > 0");
        assertThatThrownBy(() -> ok.withRetries(-1, Duration.ofMillis(1), Duration.ofMillis(1))).hasMessageContaining("maxRetries must be >= 0");
        assertThatThrownBy(() -> ok.withRetries(1, Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("retryMaxBackoff must be >= retryBaseBackoff");
        assertThatThrownBy(() -> ok.withExtraFields(Json.object().put("stream", false))).hasMessageContaining("'stream'");
    }

    @Test
    void extraFields_areCopied_soLaterChangesDoNotLeakIn() {
        var extra = Json.object().put("temperature", 0.1);
        LlmConfig config = LlmConfig.of("https://x/v1", "m", null).withExtraFields(extra);
        extra.put("temperature", 0.9);
        config.extraFields().put("top_p", 0.5);

        assertThat(config.extraFields()).isEqualTo(Json.object().put("temperature", 0.1));
    }

    @Test
    void chatRequest_needsMessagesWithRoles_andKeepsReservedFieldsForTheClient() {
        assertThatThrownBy(() -> ChatRequest.of(List.of())).hasMessageContaining("at least one message");
        assertThatThrownBy(() -> ChatRequest.of(Json.object().put("content", "x"))).hasMessageContaining("role");
        assertThatThrownBy(() -> ChatRequest.of(Messages.user("x")).withExtra(Json.object().put("model", "y"))).hasMessageContaining("'model'");
    }
}
