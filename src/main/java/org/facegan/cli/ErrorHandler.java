package org.facegan.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns exceptions into one line on stderr and an exit code: bad input (IllegalArgumentException, or arguments
 * picocli cannot parse) exits 2, a failure while working exits 1. {@code FACEGAN_DEBUG=1} prints the stack trace too.
 * Both kinds read {@code facegan CMD: error: WHAT}; a mistyped option or command adds picocli's "did you mean" hint to
 * the same line instead of the whole usage text.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        print(cmd, message, e);
        if (e instanceof IllegalArgumentException) return ExitCodes.USAGE;
        return ExitCodes.FAILURE;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String message;
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            message = (first.startsWith("-") ? "unknown option '" : "unexpected argument '") + first + "'";
            List<String> suggestions = u.getSuggestions();
            message += suggestions.isEmpty() ? hint(cmd)
                    : " (did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size()))) + "?)";
        } else {
            message = (e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("")) + hint(cmd);
        }
        print(cmd, message, e);
        return ExitCodes.USAGE;
    }

    private static String hint(CommandLine cmd) {
        return "; see '" + cmd.getCommandSpec().qualifiedName() + " --help'";
    }

    private static void print(CommandLine cmd, String message, Exception e) {
        String command = cmd.getCommandSpec().qualifiedName(); // "facegan bench train", not "facegan train"
        cmd.getErr().println(command + ": error: " + message);
        if (System.getenv("FACEGAN_DEBUG") != null) e.printStackTrace(cmd.getErr());
        cmd.getErr().flush();
    }
}
