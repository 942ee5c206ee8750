package org.facegan.cli;

/** Exit codes, as picocli's: 0 success, 1 failure while working, 2 bad input (usage). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private ExitCodes() {}
}
