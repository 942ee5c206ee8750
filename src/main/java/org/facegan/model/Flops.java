package org.facegan.model;

/**
 * Floating-point operations of the networks, counted layer by layer (2 per multiply-add; batch norm, activations
 * and Adam are left out: they are a few percent; so is D's attribute head, under 1% even with CelebA's 40
 * attributes, which the reference network of ../shared/bench/REFERENCE.md does not have). A training step per
 * image is G + 6 D for the D phase (G forward; D forward on the real and the fake batch; D backward, about twice the
 * forward) and 3 G + 2 D for the G phase (G forward and backward; D forward and its input gradients).
 */
public final class Flops {
    private Flops() {}

    /** G's forward pass, per image. */
    public static double generator(ModelConfig c, int yDim) {
        int stages = c.stages();
        long channels = (long) c.ngf() << (stages - 1);
        double flops = 2.0 * (c.zDim() + yDim) * 16 * channels;
        long size = 4;
        for (int i = 1; i < stages; i++) {
            flops += transposedConv(c.kernel(), channels, channels / 2, size);
            channels /= 2;
            size *= 2;
        }
        double skip = c.gSkip() ? 2.0 * 16 * ((long) c.ngf() << (stages - 1)) * 3 : 0; // the seed's 4x4 RGB image
        int top = c.gTopChannels();
        double rgb = top > 0 ? transposedConv(c.kernel(), channels, top, size) + 2.0 * 9 * top * 3 * c.imageSize() * c.imageSize()
                : transposedConv(c.kernel(), channels, 3, size);
        return flops + rgb + skip;
    }

    /** D's forward pass, per image. */
    public static double discriminator(ModelConfig c, int yDim) {
        double features = 16.0 * (c.ndf() << (c.stages() - 1)) + yDim
                + (c.dThumbnail() ? Discriminator.THUMBNAIL_VALUES : 0) + (c.dMinibatchStddev() ? 1 : 0);
        return convStack(c, c.ndf()) + (c.dHidden() > 0 ? 2.0 * features * c.dHidden() + 2.0 * c.dHidden() : 2.0 * features);
    }

    /** E's forward pass, per image. */
    public static double encoder(ModelConfig c) {
        return convStack(c, c.nef()) + 2.0 * 16L * (c.nef() << (c.stages() - 1)) * c.zDim();
    }

    /** One D update plus one G update, for a whole batch. */
    public static double trainingStep(ModelConfig c, int yDim, int batch) {
        return batch * (4 * generator(c, yDim) + 8 * discriminator(c, yDim));
    }

    /** The same; with {@code reuseFakes} ({@code train --reuse-fakes}) G runs forward once: 3 G + 8 D. */
    public static double trainingStep(ModelConfig c, int yDim, int batch, boolean reuseFakes) {
        return trainingStep(c, yDim, batch) - (reuseFakes ? batch * generator(c, yDim) : 0);
    }

    /** E's update in the same run as G's, on G's images of that run (E forward and backward), for a whole batch. */
    public static double encoderUpdateWithG(ModelConfig c, int batch) {
        return batch * 3 * encoder(c);
    }

    private static double convStack(ModelConfig c, int width) {
        double flops = 0;
        long in = 3, size = c.imageSize();
        for (int i = 0; i < c.stages(); i++) {
            long out = (long) width << i;
            size /= 2;
            flops += 2.0 * c.kernel() * c.kernel() * in * out * size * size;
            in = out;
        }
        return flops;
    }

    /** A stride-2 transposed convolution from inSize x inSize: every input pixel scatters k*k*out values. */
    private static double transposedConv(int k, long in, long out, long inSize) {
        return 2.0 * k * k * in * out * inSize * inSize;
    }
}
