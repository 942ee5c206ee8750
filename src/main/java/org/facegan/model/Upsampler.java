package org.facegan.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** One of G's layers that doubles the image, [N, H, W, in] -> [N, outSize, outSize, out] ({@link Upsampling}). */
interface Upsampler {
    /** The layer in the form its plan picks for {@code mode}'s work; {@code outSize} is static. */
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int outSize, Mode mode);

    /** The layer followed by inference's batch norm {@code norm} folded into its weights and bias. */
    Operand<TFloat32> applyFolded(Ops tf, Operand<TFloat32> x, int outSize, BatchNorm.Folded norm);
}
