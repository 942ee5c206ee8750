package org.facegan.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into one line on stderr and an exit code: bad input (IllegalArgumentException) exits 2, a
 * failure while working exits 1. {@code FACEGAN_DEBUG=1} prints the stack trace too.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        String command = cmd.getCommandSpec().qualifiedName(); // "facegan bench train", not "facegan train"
        String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        cmd.getErr().println(command + ": error: " + message);
        if (System.getenv("FACEGAN_DEBUG") != null) e.printStackTrace(cmd.getErr());
        cmd.getErr().flush();
        if (e instanceof IllegalArgumentException) return ExitCodes.USAGE;
        return ExitCodes.FAILURE;
    }
}
