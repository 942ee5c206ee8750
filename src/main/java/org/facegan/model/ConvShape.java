package org.facegan.model;

import java.util.Locale;

/**
 * What a k x k stride-2 SAME layer's fastest formulation depends on, besides the batch: whether it is transposed,
 * its kernel, its input's spatial size and its channels.
 *
 * @param transposed a transposed convolution (H -> 2H) rather than a convolution (H -> H/2)
 * @param kernel k
 * @param inSize the input's height and width (even for a convolution)
 * @param in input channels
 * @param out output channels
 */
public record ConvShape(boolean transposed, int kernel, int inSize, int in, int out) {
    public ConvShape {
        if (kernel < 1 || inSize < 1 || in < 1 || out < 1) {
            throw new IllegalArgumentException("a layer shape needs positive sizes, found k " + kernel + ", size "
                    + inSize + ", " + in + " -> " + out);
        }
    }

    /** The output's height and width. */
    public int outSize() {
        return transposed ? 2 * inSize : inSize / 2;
    }

    /** The kernel rounded up to even, the odd kernel's extra row and column zero: what the 2x2-block forms use. */
    int evenKernel() {
        return kernel + (kernel & 1);
    }

    /** Taps of the kernel in 2x2 blocks along each axis. */
    int blocks() {
        return evenKernel() / 2;
    }

    /** SAME padding before the first pixel (TensorFlow's rule: half the total, rounded down). */
    int padBefore() {
        return Math.max(kernel - 2, 0) / 2;
    }

    /** Forward FLOPs per image, two per multiply-add ({@link Flops}' count). */
    public double forwardFlops() {
        long pixels = transposed ? (long) inSize * inSize : (long) outSize() * outSize();
        return 2.0 * kernel * kernel * in * out * pixels;
    }

    /** "conv 64x64 3->32 k4" or "convT 4x4 256->128 k4". */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %dx%d %d->%d k%d", transposed ? "convT" : "conv", inSize, inSize, in, out,
                kernel);
    }
}
