package io.runcast.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;

/** The server's own words from an error response's body, in the shapes OpenAI-compatible servers use. */
final class ErrorBody {
    private static final int MAX_TEXT = 300;

    private ErrorBody() {}

    /**
     * {@code {"error":{"message":…}}} (OpenAI, llama.cpp, Ollama), {@code {"error":"…"}}, {@code {"message":…}}
     * (vLLM), {@code {"detail":…}} (FastAPI servers); otherwise a short plain-text body as it is; else null.
     */
    static String message(String body) {
        if (body == null || body.isBlank()) return null;
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            JsonNode error = json.path("error");
            if (error.isTextual()) return error.asText();
            if (error.path("message").isTextual()) return error.path("message").asText();
            if (json.path("message").isTextual()) return json.path("message").asText();
            if (json.path("detail").isTextual()) return json.path("detail").asText();
            return null;
        } catch (Exception notJson) {
            String text = body.strip();
            if (text.startsWith("<")) return null;
            return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text;
        }
    }
}
