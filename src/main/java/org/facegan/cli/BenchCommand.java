package org.facegan.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code facegan bench}: the benchmarks, one subcommand each. The form from before the subcommands still works, for
 * scripts: {@link OldForm} turns {@code bench [--net ...]} into {@code bench train [--net ...]},
 * {@code bench --data SPEC ...} into {@code bench input --data SPEC ...} and {@code bench --serve URL ...} into
 * {@code bench serve URL ...} before picocli parses them, so they run the same code and get the same checks.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, preprocessor = BenchCommand.OldForm.class,
        subcommands = {BenchTrainCommand.class, BenchInputCommand.class, BenchServeCommand.class, BenchClusterCommand.class},
        description = {"Benchmarks, each printing one JSON line.",
                "Without a subcommand (the form from before them, kept for scripts) the arguments go to bench train, or to bench input when they hold --data SPEC, or to bench serve when they hold --serve URL: bench --net small runs bench train --net small."},
        footer = {"", "Example:", "  facegan bench train --net small"})
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandSpec spec;

    /** Not reached from the command line ({@link OldForm} always names a subcommand); prints the usage. */
    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return ExitCodes.OK;
    }

    /** Rewrites the arguments of {@code bench} without a subcommand into the subcommand form (see the class). */
    static final class OldForm implements IParameterPreprocessor {
        private static final Set<String> OWN_OPTIONS = Set.of("-h", "--help", "-V", "--version");

        @Override
        public boolean preprocess(Stack<String> args, CommandSpec bench, ArgSpec argSpec, Map<String, Object> info) {
            // the stack holds the arguments after "bench", the next one on top
            if (!args.isEmpty() && (bench.subcommands().containsKey(args.peek()) || OWN_OPTIONS.contains(args.peek()))) {
                return false;
            }
            List<String> given = new ArrayList<>(args);
            Collections.reverse(given);
            List<String> rewritten = new ArrayList<>();
            String subcommand = given.stream().anyMatch(a -> isOption(a, "--data")) ? "input"
                    : given.stream().anyMatch(a -> isOption(a, "--serve")) ? "serve" : "train";
            rewritten.add(subcommand);
            for (String arg : given) {
                if (subcommand.equals("serve") && isOption(arg, "--serve")) {
                    // --serve URL or --serve=URL: the URL is bench serve's positional parameter
                    if (arg.startsWith("--serve=")) rewritten.add(arg.substring("--serve=".length()));
                } else {
                    rewritten.add(arg);
                }
            }
            args.clear();
            for (int i = rewritten.size() - 1; i >= 0; i--) args.push(rewritten.get(i));
            return false; // picocli parses the rewritten arguments as usual
        }

        private static boolean isOption(String arg, String name) {
            return arg.equals(name) || arg.startsWith(name + "=");
        }
    }
}
