package io.runcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where option values come from when a flag is not given: first the environment
 * ({@code --idle-timeout} → {@code RUNCAST_IDLE_TIMEOUT}), then the YAML file named by {@code --config}
 * or {@code RUNCAST_CONFIG} (or {@code ./runcast.yaml} when present; keys are the option names without
 * dashes, e.g. {@code idle-timeout: 90s}), then for the model's URL, key and name the conventional
 * {@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY} and {@code OPENAI_MODEL}, then the option's own default.
 */
public final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    private static final java.util.Set<String> SERVER_COMMANDS = java.util.Set.of("serve", "demo");
    /** The variables OpenAI's SDKs and most tools read, honoured after Runcast's own settings. */
    private static final Map<String, String> CONVENTIONAL = Map.of(
            "model-url", "OPENAI_BASE_URL", "model-key", "OPENAI_API_KEY", "model", "OPENAI_MODEL");

    private final Map<String, String> env;
    private final JsonNode yaml;

    ConfigDefaults(Map<String, String> env, JsonNode yaml) {
        this.env = env;
        this.yaml = yaml;
    }

    /** Finds the YAML file from {@code --config FILE} / {@code --config=FILE}, RUNCAST_CONFIG or ./runcast.yaml. */
    public static ConfigDefaults fromArgs(String[] args) {
        Map<String, String> env = System.getenv();
        String file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) file = args[i + 1];
            else if (args[i].startsWith("--config=")) file = args[i].substring("--config=".length());
        }
        if (file == null) file = env.get("RUNCAST_CONFIG");
        if (file == null && Files.isRegularFile(Path.of("runcast.yaml"))) file = "runcast.yaml";
        JsonNode yaml = null;
        if (file != null) {
            try {
                yaml = new ObjectMapper(new YAMLFactory()).readTree(Path.of(file).toFile());
            } catch (IOException e) {
                throw new CommandLine.ParameterException(new CommandLine(new Main()),
                        "cannot read config file " + file + ": " + e.getMessage());
            }
        }
        return new ConfigDefaults(env, yaml);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec opt)) return null;
        // only server options: a client command's --data or --server must not pick up RUNCAST_DATA
        if (!SERVER_COMMANDS.contains(opt.command().name())) return null;
        String name = opt.longestName().replaceFirst("^--", "");
        if (name.equals("config")) return null;
        String fromEnv = env.get("RUNCAST_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
        if (fromEnv != null) return fromEnv;
        if (yaml != null && yaml.hasNonNull(name)) return yaml.get(name).asText();
        String conventional = CONVENTIONAL.get(name);
        if (conventional != null && env.get(conventional) != null && !env.get(conventional).isBlank()) return env.get(conventional);
        return null;
    }
}
