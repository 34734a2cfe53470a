package io.runcast.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TypeFilterTest {
    @Test
    void wildcard_matchesPrefixAndSuffix() {
        TypeFilter f = TypeFilter.of(List.of("step.*", "*.delta"));
        assertThat(f.accepts("step.progress")).isTrue();
        assertThat(f.accepts("answer.delta")).isTrue();
        assertThat(f.accepts("agent.thinking")).isFalse();
        assertThat(f.accepts("stepx.progress")).isFalse();
    }

    @Test
    void terminalEvents_alwaysPass() {
        TypeFilter f = TypeFilter.of(List.of("tool.call"));
        assertThat(f.accepts("run.completed")).isTrue();
        assertThat(f.accepts("run.failed")).isTrue();
        assertThat(f.accepts("run.started")).isFalse();
    }

    @Test
    void emptyOrStar_acceptsAll() {
        assertThat(TypeFilter.of(List.of())).isSameAs(TypeFilter.ALL);
        assertThat(TypeFilter.of(List.of("*"))).isSameAs(TypeFilter.ALL);
    }

    @Test
    void dotsAreLiteral() {
        assertThat(TypeFilter.of(List.of("a.b")).accepts("aXb")).isFalse();
    }

    @Test
    void invalidPattern_refused() {
        assertThatThrownBy(() -> TypeFilter.of(List.of("Step(.*"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void publishable_catalogueOrCustom() {
        assertThat(EventTypes.isPublishable("agent.thinking")).isTrue();
        assertThat(EventTypes.isPublishable("x.my_app.thing")).isTrue();
        assertThat(EventTypes.isPublishable("x.")).isFalse();
        assertThat(EventTypes.isPublishable("made.up")).isFalse();
        assertThat(EventTypes.isPublishable(null)).isFalse();
    }
}
