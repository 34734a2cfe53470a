package io.runcast.tool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.agent.Agent;
import io.runcast.event.Event;
import io.runcast.exec.Plan;
import io.runcast.exec.PlanExecutor;
import io.runcast.exec.Step;
import io.runcast.tool.builtin.Builtins;
import java.time.Duration;

/** The tools example of docs/agents.md, kept compiling and running by {@link ToolGuideExampleTest}. Keep the two in step. */
public final class ToolGuideExample {
    public static Event run(PlanExecutor executor) throws Exception {
        ToolRegistry tools = Builtins.registry()   // calculator, current_time, fetch_url, save_note, search_notes
                .register(Tool.named("add")
                        .describedAs("Adds two numbers.")
                        .parameters("""
                            {"type": "object",
                             "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                             "required": ["a", "b"]}""")
                        .cachedFor(Duration.ofMinutes(5))    // optional
                        .handler((args, ctx) -> args.get("a").asDouble() + args.get("b").asDouble()));

        try (ToolDispatcher dispatcher = new ToolDispatcher(tools)) {
            ArrayNode definitions = tools.definitions();    // send as "tools" with the chat request
            Agent assistant = ctx -> {
                // For each tool call in the model's reply: its id, function name and arguments text.
                ToolResult r = dispatcher.dispatch(new ToolCall("call_1", "add", "{\"a\": 2, \"b\": 3}"), ctx);
                // Hand it back as {"role": "tool", "tool_call_id": r.call(), "content": r.content()}.
                return TextNode.valueOf(r.content());           // "5.0"
            };
            return executor.start("tools-1", Plan.of("Add", Step.of("chat", "assistant", assistant))).done().get();
        }
    }
}
