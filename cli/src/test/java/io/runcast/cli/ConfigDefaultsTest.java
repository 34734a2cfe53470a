package io.runcast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.runcast.config.RuncastConfig;
import io.runcast.store.Retention;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ConfigDefaultsTest {
    private static RuncastConfig parse(Map<String, String> env, String yaml, String... args) throws Exception {
        var tree = yaml == null ? null : new ObjectMapper(new YAMLFactory()).readTree(yaml);
        ServeCommand cmd = new ServeCommand();
        CommandLine cli = new CommandLine(cmd);
        cli.setDefaultValueProvider(new ConfigDefaults(env, tree));
        cli.parseArgs(args);
        return cmd.options.toConfig();
    }

    @Test
    void defaults_whenNothingGiven() throws Exception {
        RuncastConfig c = parse(Map.of(), null);
        assertThat(c.port()).isEqualTo(8000);
        assertThat(c.store()).isEqualTo("sqlite");
        assertThat(c.heartbeat()).isEqualTo(Duration.ofSeconds(25));
        assertThat(c.retention().closedRunTtl()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void retentionDefaults_keepWholeRuns_memoryStoreHasABudget() throws Exception {
        Retention r = parse(Map.of(), null).retention();
        assertThat(r.maxEventsPerRun()).isZero();
        assertThat(r.limitsCount()).isFalse();
        assertThat(r.maxEventAge()).isZero();
        assertThat(r.memoryBudgetBytes()).isEqualTo(Retention.DEFAULT_MEMORY_BUDGET)
                .isEqualTo(Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4));
        assertThat(r).isEqualTo(Retention.DEFAULT);
    }

    @Test
    void retentionOptions_fromFlagsEnvAndYaml() throws Exception {
        Retention flags = parse(Map.of(), null, "--history-events", "500", "--history-age", "2h", "--memory-budget", "64m").retention();
        assertThat(flags.maxEventsPerRun()).isEqualTo(500);
        assertThat(flags.maxEventAge()).isEqualTo(Duration.ofHours(2));
        assertThat(flags.memoryBudgetBytes()).isEqualTo(64L << 20);
        assertThat(parse(Map.of("RUNCAST_MEMORY_BUDGET", "1g", "RUNCAST_HISTORY_EVENTS", "7"), null).retention())
                .extracting(Retention::memoryBudgetBytes, Retention::maxEventsPerRun).containsExactly(1L << 30, 7);
        assertThat(parse(Map.of(), "memory-budget: 524288\nhistory-age: 30m\n").retention())
                .extracting(Retention::memoryBudgetBytes, Retention::maxEventAge).containsExactly(524_288L, Duration.ofMinutes(30));
        assertThat(ServerOptions.bytes("x", "512KiB")).isEqualTo(512L << 10);
        assertThat(ServerOptions.bytes("x", "2GB")).isEqualTo(2L << 30);
        assertThat(ServerOptions.bytes("x", "auto")).isEqualTo(Retention.DEFAULT_MEMORY_BUDGET);
    }

    @Test
    void badRetentionValues_clearMessages() {
        assertThatThrownBy(() -> parse(Map.of(), null, "--history-events", "-1")).hasMessageContaining("must be >= 0 (0 = no limit)");
        assertThatThrownBy(() -> parse(Map.of(), null, "--memory-budget", "lots")).hasMessageContaining("--memory-budget: 'lots' is not a size");
        assertThatThrownBy(() -> parse(Map.of(), null, "--memory-budget", "1k")).hasMessageContaining("memory budget must be at least 65536 bytes");
        assertThatThrownBy(() -> parse(Map.of(), null, "--memory-budget", "99999999999g")).hasMessageContaining("too large");
    }

    @Test
    void flagBeatsEnvBeatsYaml() throws Exception {
        String yaml = "port: 7001\nidle-timeout: 90s\nstore: memory\n";
        RuncastConfig c = parse(Map.of("RUNCAST_PORT", "7002", "RUNCAST_HEARTBEAT", "5s"), yaml, "--port", "7003");
        assertThat(c.port()).isEqualTo(7003);
        assertThat(c.heartbeat()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.store()).isEqualTo("memory");
        assertThat(parse(Map.of("RUNCAST_PORT", "7002"), yaml).port()).isEqualTo(7002);
        assertThat(parse(Map.of(), yaml).port()).isEqualTo(7001);
    }

    @Test
    void badValues_clearMessages() {
        assertThatThrownBy(() -> parse(Map.of(), null, "--store", "mongo")).hasMessageContaining("store must be sqlite or memory");
        assertThatThrownBy(() -> parse(Map.of(), null, "--heartbeat", "soon")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> parse(Map.of(), null, "--port", "70000")).hasMessageContaining("port must be");
    }

    @Test
    void clientCommands_ignoreServerEnvironment() {
        CommandLine cli = new CommandLine(new Main());
        cli.setDefaultValueProvider(new ConfigDefaults(Map.of("RUNCAST_DATA", "/var/lib/runcast", "RUNCAST_PORT", "9"), null));
        cli.parseArgs("publish", "run-1", "log.line");
        assertThat((String) cli.getSubcommands().get("publish").getCommandSpec().findOption("--data").getValue()).isEqualTo("{}");
        cli.parseArgs("serve");
        assertThat((int) cli.getSubcommands().get("serve").getCommandSpec().findOption("--port").getValue()).isEqualTo(9);
    }

    @Test
    void durations() {
        assertThat(ServerOptions.duration("x", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ServerOptions.duration("x", "30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(ServerOptions.duration("x", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ServerOptions.duration("x", "12")).isEqualTo(Duration.ofSeconds(12));
        assertThat(ServerOptions.duration("x", "0")).isEqualTo(Duration.ZERO);
    }
}
