package org.facegan.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The facegan command line: {@code facegan train | sample | export | projector | bench | data} and the latent tools. */
@Command(name = "facegan", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Train conditional DCGAN face generators with TensorFlow Java, sample, edit, export and serve them."},
        footer = {"", "Example:", "  facegan train && facegan sample --run runs/faces32-synthetic --attr Smiling=1"},
        subcommands = {TrainCommand.class, SampleCommand.class, ExportCommand.class, ProjectorCommand.class,
                BenchCommand.class, DataCommand.class, WalkCommand.class, EncodeCommand.class, ReconstructCommand.class,
                AttributesCommand.class, ScoreCommand.class, EditCommand.class, AnalogyCommand.class, SweepCommand.class, EvalCommand.class, PlotCommand.class, ServeCommand.class,
                WorkerCommand.class,
                CommandLine.HelpCommand.class})
public final class Facegan implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return ExitCodes.OK;
    }

    public static void main(String[] args) {
        // warnings from the pipeline (java.util.logging via System.Logger) as one plain line each
        System.setProperty("java.util.logging.SimpleFormatter.format", "facegan: %4$s: %5$s%n");
        System.exit(commandLine().execute(args));
    }

    /** Width of every --help: wide enough that options and their help read as one column each. */
    static final int USAGE_WIDTH = 100;

    /** The configured command line (also what tests drive). */
    public static CommandLine commandLine() {
        ErrorHandler errors = new ErrorHandler();
        CommandLine cli = new CommandLine(new Facegan())
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpWidth(USAGE_WIDTH);
        everyCommand(cli, c -> c.getCommandSpec().versionProvider(VERSION)); // -V on a subcommand says the same
        return cli;
    }

    private static final Version VERSION = new Version();

    /** {@code cli} and its subcommands, depth first. */
    static void everyCommand(CommandLine cli, java.util.function.Consumer<CommandLine> action) {
        action.accept(cli);
        for (CommandLine sub : cli.getSubcommands().values()) everyCommand(sub, action);
    }
}
