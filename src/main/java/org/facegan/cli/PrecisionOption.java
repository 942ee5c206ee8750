package org.facegan.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --precision} option of {@code train} and {@code bench train}. Checked where both commands put it, in
 * {@link org.facegan.train.TrainOptions} (through {@link org.facegan.model.Precision#parse}).
 */
final class PrecisionOption {
    @Option(names = "--precision", paramLabel = "fp32|bf16|fp16", defaultValue = "fp32",
            description = "What the convolutions and matrix products compute in; weights, batch norm, losses and Adam stay float32, and fp16 scales its losses dynamically. bf16 and fp16 are for GPUs: on the CPUs measured (Intel Xeon, AMD EPYC) bf16 ran 2.5x slower. Default: ${DEFAULT-VALUE}.")
    String precision;
}
