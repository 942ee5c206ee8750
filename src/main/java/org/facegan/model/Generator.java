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
 * instead ({@link ModelConfig#upsample}, {@link ResizeConv2D}); the default keeps DCGAN's everywhere. With
 * {@link ModelConfig#gSkip}, the 4x4 seed also gives an RGB image (a dense layer per pixel), upsampled bilinearly to
 * S x S and added before the tanh: a low-frequency field (a lighting gradient, large colour areas) drawn by one layer
 * instead of carried through every stage (StyleGAN2's skip generator, Karras et al. 2020, at its lowest resolution).
 * With {@link ModelConfig#gTopChannels} the last deconv draws that many channels at S x S (BN, ReLU) and a 3 x 3
 * convolution draws RGB from them ({@link Conv3x3}), as later generators end, instead of the deconv drawing RGB.
 */
public final class Generator extends Network {
    /** The trained G's variable prefix, and the averaged G's ({@code train --g-average}). */
    public static final String PREFIX = "G", AVERAGE_PREFIX = "Gavg";

    private final ModelConfig config;
    private final Dense project;
    private final BatchNorm projectNorm;
    private final List<Upsampler> ups = new ArrayList<>();
    private final List<BatchNorm> upNorms = new ArrayList<>();
    private final Upsampler toRgb; // null: the top layer and rgbTop draw RGB
    private final Conv3x3 rgbTop;  // null: no hidden layer at full resolution
    private final Dense seedRgb; // null: no skip
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
        int top = config.gTopChannels();
        if (top > 0) {
            ups.add(upsampler(params, kinds.get(stages - 1), "top", config.kernel(), channels, top, false));
            upNorms.add(batchNorm("top_bn", top));
            this.toRgb = null;
            this.rgbTop = new Conv3x3(params, "rgb3x3", top, 3);
        } else {
            this.toRgb = upsampler(params, kinds.get(stages - 1), "rgb", config.kernel(), channels, 3, true);
            this.rgbTop = null;
        }
        this.seedRgb = config.gSkip() ? new Dense(params, "seed_rgb", seedChannels, 3, false) : null;
    }

    private static Upsampler upsampler(Params params, Upsampling kind, String name, int k, int in, int out,
                                       boolean withBias) {
        return switch (kind) {
            case DECONV -> new ConvTranspose2D(params, name, k, in, out, withBias);
            case RESIZE -> new ResizeConv2D(params, name, in, out, withBias);
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
        boolean fold = mode.foldsBatchNorm();
        h = h.map(g, (at, t) -> fold ? project.applyFolded(at, t, projectNorm.folded(at).tiled(at, 16))
                : project.apply(at, t));                                                  // [N, 16*c0]
        h = h.map(g, (at, t) -> at.reshape(t, at.constant(new long[] {-1, 4, 4, seedChannels}))); // [N, 4, 4, c0]
        h = (fold ? h : projectNorm.apply(g, h, mode)).map(g, (at, t) -> at.nn.relu(t));
        Towers seed = h;                                                                  // [N, 4, 4, c0]
        int size = 4;
        for (int i = 0; i < ups.size(); i++) {
            size *= 2;
            int outSize = size;
            Upsampler up = ups.get(i);
            BatchNorm norm = upNorms.get(i);
            if (fold) {
                h = h.map(g, (at, t) -> at.nn.relu(up.applyFolded(at, t, outSize, norm.folded(at)))); // [N, s, s, c0/2^i]
            } else {
                h = h.map(g, (at, t) -> up.apply(at, t, outSize, mode));                  // [N, s, s, c0/2^i]
                h = norm.apply(g, h, mode).map(g, (at, t) -> at.nn.relu(t));
            }
        }
        int out = rgbTop != null ? size : size * 2;
        // in inference (sampling, export, serving) the plan picks the layers' forms for the forward pass alone
        Towers rgb = rgbTop != null ? h.map(g, (at, t) -> rgbTop.apply(at, t))          // [N, S, S, 3], before tanh
                : h.map(g, (at, t) -> toRgb.apply(at, t, out, mode));
        if (seedRgb != null) rgb = rgb.zip(g, seed, (at, r, s) -> at.math.add(r, skip(at, s, out)));
        return rgb.map(g, (at, t) -> at.math.tanh(t));                                    // [N, S, S, 3]
    }

    /** The seed's own RGB image [N, 4, 4, 3], bilinearly upsampled to [N, size, size, 3]. */
    private Operand<TFloat32> skip(Ops tf, Operand<TFloat32> seed, int size) {
        Operand<TFloat32> pixels = tf.reshape(seed, tf.constant(new long[] {-1, seedChannels}));
        Operand<TFloat32> small = tf.reshape(seedRgb.apply(tf, pixels), tf.constant(new long[] {-1, 4, 4, 3}));
        return tf.image.resizeBilinear(small, tf.constant(new int[] {size, size}),
                org.tensorflow.op.image.ResizeBilinear.halfPixelCenters(true));
    }

    public ModelConfig config() {
        return config;
    }
}
