package org.facegan.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * G(z, y): the DCGAN generator (Radford et al. 2015) made conditional by concatenating y to z (Mirza and
 * Osindero 2014). Layout of the reference network in ../shared/bench/REFERENCE.md (the shared folder beside the
 * repository):
 * concat(z, y) -> dense 4*4*c0 -> BN -> ReLU -> (L-1) x [deconv k, /2 channels -> BN -> ReLU] -> deconv to RGB -> tanh.
 * Each "deconv" (a k x k stride-2 transposed convolution) may be a nearest-neighbour resize + 3 x 3 convolution
 * instead ({@link ModelConfig#upsample}, {@link ResizeConv2D}); the default keeps DCGAN's everywhere.
 */
public final class Generator extends Network {
    /** The trained G's variable prefix, and the averaged G's ({@code train --g-average}). */
    public static final String PREFIX = "G", AVERAGE_PREFIX = "Gavg";

    private final ModelConfig config;
    private final Dense project;
    private final BatchNorm projectNorm;
    private final List<Upsampler> ups = new ArrayList<>();
    private final List<BatchNorm> upNorms = new ArrayList<>();
    private final Upsampler toRgb;
    private final ConvTranspose2D toRgbDeconv; // the RGB layer when it is a transposed convolution, else null
    private final int seedChannels;

    public Generator(Params params, ModelConfig config, int yDim) {
        super(params);
        this.config = config;
        int stages = config.stages();
        this.seedChannels = config.ngf() << (stages - 1);
        this.project = new Dense(params, "project", config.zDim() + yDim, 16 * seedChannels, false);
        this.projectNorm = batchNorm("project_bn", seedChannels);
        List<Upsampling> kinds = config.upsampleLayers();
        int channels = seedChannels;
        for (int i = 1; i < stages; i++) {
            ups.add(upsampler(params, kinds.get(i - 1), "up" + i, config.kernel(), channels, channels / 2, false));
            upNorms.add(batchNorm("up" + i + "_bn", channels / 2));
            channels /= 2;
        }
        this.toRgbDeconv = kinds.get(stages - 1) == Upsampling.DECONV
                ? new ConvTranspose2D(params, "rgb", config.kernel(), channels, 3, true) : null;
        this.toRgb = toRgbDeconv != null ? toRgbDeconv::apply : new ResizeConv2D(params, "rgb", channels, 3, true)::apply;
    }

    /** One layer that doubles the image: [N, H, W, in] -> [N, outSize, outSize, out]. */
    private interface Upsampler {
        Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int outSize);
    }

    private static Upsampler upsampler(Params params, Upsampling kind, String name, int k, int in, int out,
                                       boolean withBias) {
        return switch (kind) {
            case DECONV -> new ConvTranspose2D(params, name, k, in, out, withBias)::apply;
            case RESIZE -> new ResizeConv2D(params, name, in, out, withBias)::apply;
        };
    }

    /** @return images [N, S, S, 3] in [-1, 1] */
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> z, Operand<TFloat32> y, Mode mode) {
        return apply(tf, Towers.of(z), Towers.of(y), mode).joined(tf);
    }

    /** The same over towers ({@code z} and {@code y} split alike). */
    public Towers apply(Ops tf, Towers z, Towers y, Mode mode) {
        Ops g = tf.withSubScope("G");
        Towers h = z.zip(g, y, (at, zk, yk) -> at.concat(List.of(zk, yk), at.constant(1))); // [N, z+y]
        h = h.map(g, project::apply);                                                     // [N, 16*c0]
        h = h.map(g, (at, t) -> at.reshape(t, at.constant(new long[] {-1, 4, 4, seedChannels}))); // [N, 4, 4, c0]
        h = projectNorm.apply(g, h, mode).map(g, (at, t) -> at.nn.relu(t));
        int size = 4;
        for (int i = 0; i < ups.size(); i++) {
            size *= 2;
            int outSize = size;
            Upsampler up = ups.get(i);
            h = h.map(g, (at, t) -> up.apply(at, t, outSize));                            // [N, s, s, c0/2^i]
            h = upNorms.get(i).apply(g, h, mode).map(g, (at, t) -> at.nn.relu(t));
        }
        int out = size * 2;
        // the RGB layer's faster forward form (same function) where G is not trained: sampling, export, serving
        boolean subPixel = mode == Mode.INFERENCE && toRgbDeconv != null && toRgbDeconv.hasSubPixelForm();
        return h.map(g, (at, t) -> at.math.tanh(subPixel ? toRgbDeconv.applySubPixel(at, t, out)
                : toRgb.apply(at, t, out)));                                              // [N, S, S, 3]
    }

    public ModelConfig config() {
        return config;
    }
}
