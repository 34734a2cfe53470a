package io.runcast.llm;

/** Token counts from the server's usage chunk. */
public record Usage(long promptTokens, long completionTokens) {
    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
