package org.facegan.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --conv} option of {@code train}, {@code bench train} and the commands that sample from a run. Checked by
 * {@link org.facegan.model.ConvTuner#validate} (in {@link org.facegan.train.TrainOptions} for training).
 */
final class ConvOption {
    @Option(names = "--conv", paramLabel = "auto|direct|blocks|matmul|nchw", defaultValue = "auto",
            description = {"The form each stride-2 convolution and transposed convolution is built in, all the same function "
                    + "of the same weights (speed only): direct (TensorFlow's op), blocks (space-to-depth / sub-pixel, "
                    + "stride 1), matmul (patches x kernel / per-pixel product + overlap-add), nchw (channels first).",
                    "auto times each layer's forms on this host the first time a layer shape, batch and mode is built "
                    + "(about 2 s a layer, at most ~30 s for a network; one line per layer) and keeps the choice in the "
                    + "cache directory ($FACEGAN_CACHE, else ~/.cache/facegan); a form must beat direct by 5%% to be "
                    + "chosen. It times this host's CPU, so towers on GPUs keep direct. Default: ${DEFAULT-VALUE}."})
    String conv;
}
