package io.runcast.chats;

/**
 * How chats run.
 *
 * @param lightMode      the light-mode switch: auto (the router decides), full (off) or light (always)
 * @param lightThreshold the router's confidence at or above which {@code auto} takes the light pipeline
 * @param historyTurns   the most earlier turns handed to an agent as context (the newest ones)
 */
public record ChatConfig(Router.Mode lightMode, double lightThreshold, int historyTurns) {
    public static final ChatConfig DEFAULT = new ChatConfig(Router.Mode.AUTO, Router.DEFAULT_THRESHOLD, 20);

    public ChatConfig {
        if (historyTurns < 0) throw new IllegalArgumentException("historyTurns must be >= 0");
        new Router(lightMode, lightThreshold); // validates the threshold
    }

    public ChatConfig withLightMode(Router.Mode mode) {
        return new ChatConfig(mode, lightThreshold, historyTurns);
    }

    public ChatConfig withLightThreshold(double threshold) {
        return new ChatConfig(lightMode, threshold, historyTurns);
    }

    Router router() {
        return new Router(lightMode, lightThreshold);
    }
}
