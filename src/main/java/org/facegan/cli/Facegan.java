package org.facegan.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The facegan command line: {@code facegan train | sample | export | projector | bench | data}. */
@Command(name = "facegan", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Train conditional DCGAN face generators with TensorFlow Java, sample and export them.",
        subcommands = {TrainCommand.class, SampleCommand.class, ExportCommand.class, ProjectorCommand.class, BenchCommand.class,
                DataCommand.class, CommandLine.HelpCommand.class})
public final class Facegan implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return ExitCodes.OK;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also what tests drive). */
    public static CommandLine commandLine() {
        return new CommandLine(new Facegan())
                .setExecutionExceptionHandler(new ErrorHandler())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
