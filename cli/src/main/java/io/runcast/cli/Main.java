package io.runcast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code runcast} command line: {@code serve}, {@code demo} and the client commands. */
@Command(name = "runcast", mixinStandardHelpOptions = true, version = "runcast " + io.runcast.transport.Services.VERSION,
        description = "Real-time streaming for AI agent runs.",
        subcommands = {ServeCommand.class, DemoCommand.class, TailCommand.class, PublishCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setDefaultValueProvider(ConfigDefaults.fromArgs(args));
        System.exit(cli.execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
