package io.catchment.server;

import io.catchment.server.cli.ApiKeyCommand;
import io.catchment.server.cli.IndexCommand;
import io.catchment.server.cli.OrgCommand;
import io.catchment.server.cli.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code catchment}: the entry point of the jar. */
@Command(name = "catchment", mixinStandardHelpOptions = true, version = "catchment 0.1.0",
        description = "Self-hosted, Carbon-compatible connectors, ingestion and search.",
        subcommands = {ServeCommand.class, OrgCommand.class, ApiKeyCommand.class, IndexCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0) System.exit(code);
    }

    /** The CLI with a failure handler that prints one clear line instead of a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("catchment: " + Failures.explain(e));
            return 1;
        });
        return cli;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
