package io.runcast.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;

/**
 * A positive signal that a thread has reached a blocking call — instead of sleeping "long enough" for
 * it to get there, which on a busy machine sometimes is not, and then tests something else than it says.
 */
public final class Blocked {
    private Blocked() {}

    /**
     * Waits (at most 10 s, a failure guard) until {@code thread} is blocked inside a call to
     * {@code className.method}: its stack, taken in one snapshot, holds that frame and ends in a native
     * frame — parked, sleeping, waiting on a monitor, or in blocking I/O.
     */
    public static void awaitIn(Thread thread, String className, String method) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2))
                .alias(thread.getName() + " blocked in " + className + "." + method)
                .until(() -> isIn(thread.getStackTrace(), className, method));
    }

    private static boolean isIn(StackTraceElement[] stack, String className, String method) {
        return stack.length > 0 && stack[0].isNativeMethod()
                && Arrays.stream(stack).anyMatch(f -> f.getClassName().equals(className) && f.getMethodName().equals(method));
    }
}
