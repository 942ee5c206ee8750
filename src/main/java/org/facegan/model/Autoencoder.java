package org.facegan.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The evaluation's second judge where a dataset knows no nuisance factors, x -> code -> x: a convolutional
 * autoencoder whose bottleneck keeps whatever it needs to redraw the face, pose and lighting and background
 * included. Encoder: {@link ConvStack} (the DCGAN trunk, k 4) -> dense {@link #CODE} (linear: the features a Fréchet
 * distance compares). Decoder: the DCGAN generator's layout, dense 4*4*c0 -> BN -> ReLU -> (L-1) x [deconv 4, /2
 * channels -> BN -> ReLU] -> deconv to RGB -> tanh.
 */
public final class Autoencoder extends Network {
    public static final int CODE = 128;
    public static final int WIDTH = 32;

    private final ConvStack trunk;
    private final Dense code;
    private final Dense project;
    private final BatchNorm projectNorm;
    private final List<ConvTranspose2D> ups = new ArrayList<>();
    private final List<BatchNorm> upNorms = new ArrayList<>();
    private final ConvTranspose2D toRgb;
    private final int seedChannels;

    public Autoencoder(Params params, int imageSize) {
        super(params);
        int stages = Integer.numberOfTrailingZeros(imageSize / 4);
        this.trunk = new ConvStack(this, stages, 4, WIDTH);
        this.code = new Dense(params, "code", trunk.features(), CODE, true);
        this.seedChannels = WIDTH << (stages - 1);
        this.project = new Dense(params, "project", CODE, 16 * seedChannels, false);
        this.projectNorm = batchNorm("project_bn", seedChannels);
        int channels = seedChannels;
        for (int i = 1; i < stages; i++) {
            ups.add(new ConvTranspose2D(params, "up" + i, 4, channels, channels / 2, false));
            upNorms.add(batchNorm("up" + i + "_bn", channels / 2));
            channels /= 2;
        }
        this.toRgb = new ConvTranspose2D(params, "rgb", 4, channels, 3, true);
    }

    /** What the network computes on a batch: the code [N, 128] and the redrawn faces [N, S, S, 3] in [-1, 1]. */
    public record Output(Operand<TFloat32> code, Operand<TFloat32> reconstruction) {}

    public Output apply(Ops tf, Operand<TFloat32> x, Mode mode) {
        Ops a = tf.withSubScope("A");
        Operand<TFloat32> c = code.apply(a, trunk.apply(a, x, mode));                   // [N, 128]
        Operand<TFloat32> h = a.reshape(project.apply(a, c), a.constant(new long[] {-1, 4, 4, seedChannels}));
        h = a.nn.relu(projectNorm.apply(a, h, mode));                                  // [N, 4, 4, c0]
        int size = 4;
        for (int i = 0; i < ups.size(); i++) {
            size *= 2;
            h = a.nn.relu(upNorms.get(i).apply(a, ups.get(i).apply(a, h, size), mode)); // [N, s, s, c0/2^i]
        }
        return new Output(c, a.math.tanh(toRgb.apply(a, h, size * 2)));                 // [N, S, S, 3]
    }
}
