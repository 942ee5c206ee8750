package org.facegan.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --threads} option of the commands that build and run a training graph ({@code train},
 * {@code bench train}). Checked where both commands put it, in {@link org.facegan.train.TrainOptions}.
 */
final class ThreadsOption {
    @Option(names = "--threads", defaultValue = "0",
            description = "TensorFlow threads; 0 = TensorFlow's default, 1 = deterministic kernels. Default: ${DEFAULT-VALUE}.")
    int threads;
}
