package io.runcast.chats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runcast.event.Json;
import io.runcast.protocol.RuncastException;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Router auto = Router.defaults();

    @Test
    void greetingsAndShortFactoids_goLight() {
        assertThat(auto.route("Hello there!", null).light()).isTrue();
        Route factoid = auto.route("What is the capital of France?", null);
        assertThat(factoid.light()).isTrue();
        assertThat(factoid.confidence()).isEqualTo(0.95);
        assertThat(factoid.reason()).contains("short (6 words)", "factoid question ('what')", ">= threshold 0.70");
        assertThat(auto.route("12 * (3 + 4)", null).reason()).contains("arithmetic");
    }

    @Test
    void complexAsks_goFull_withTheMarkersInTheReason() {
        Route r = auto.route("Compare the three vendors and write a report with pros and cons", null);
        assertThat(r.light()).isFalse();
        assertThat(r.reason()).contains("complex ('compare')", "complex ('pros and cons')", "< threshold");
        assertThat(r.steps()).containsExactly("analyze", "respond", "review");
    }

    @Test
    void belowTheThreshold_fallsBackToFull() {
        // medium length, no opener: 0.5 + 0.1 = 0.6, under the default 0.7 but over a lowered 0.5
        String ask = "tell me something interesting about the history of the printing press in europe please";
        assertThat(auto.route(ask, null).light()).isFalse();
        assertThat(new Router(Router.Mode.AUTO, 0.5).route(ask, null).light()).isTrue();
    }

    @Test
    void theSwitchAndTheRequestCanForceEitherPipeline() {
        assertThat(new Router(Router.Mode.FULL, 0.7).route("hi", null).light()).isFalse();
        assertThat(new Router(Router.Mode.LIGHT, 0.7).route("plan and research everything", null).light()).isTrue();
        assertThat(auto.route("hi", Json.object().put("light", false)).mode()).isEqualTo("full");
        assertThat(auto.route("plan and research everything", Json.object().put("light", true)).light()).isTrue();
        assertThat(new Router(Router.Mode.FULL, 0.7).route("hi", Json.object().put("light", "auto")).light()).isTrue();
        assertThatThrownBy(() -> auto.route("hi", Json.object().put("light", "sometimes")))
                .isInstanceOf(RuncastException.class).hasMessageContaining("options.light");
        assertThat(Router.Mode.parse("off")).isEqualTo(Router.Mode.FULL);
        assertThatThrownBy(() -> Router.Mode.parse("never")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void severalQuestionsOrLines_lowerTheConfidence() {
        double one = auto.route("What is X?", null).confidence();
        double two = auto.route("What is X? What is Y?", null).confidence();
        double lines = auto.route("What is X\nand Y", null).confidence();
        assertThat(two).isLessThan(one);
        assertThat(lines).isLessThan(one);
    }
}
