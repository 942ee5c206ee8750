package org.facegan.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.op.Op;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * D(x, y): the DCGAN discriminator, conditioned by concatenating y to its flattened features before its dense
 * layers: {@link ConvStack} with ndf channels -> concat y -> [dense dHidden -> leaky ReLU 0.2, when dHidden > 0]
 * -> dense 1 (the logit). The hidden layer lets D weigh y against the image; without it y only shifts the logit.
 *
 * <p>An auxiliary head reads the attributes from the image features alone (before y joins them), as in AC-GAN
 * (Odena et al. 2017, "Conditional Image Synthesis with Auxiliary Classifier GANs"): trained on real faces, it
 * gives G a direct signal for drawing the requested attributes.
 *
 * <p>With {@code dNorm} spectral ({@link ModelConfig#dNorm}), every weight (convolutions, dense layers, the attribute
 * head) is spectrally normalised and the trunk has no batch norm ({@link SpectralNorm}); {@link #powerIteration}
 * then gives the ops that advance the singular-vector estimates, which D's training step runs after each update.
 *
 * <p>Two optional extra features join the trunk's before the dense layers (and the attribute head): the image
 * averaged down to 4x4 ({@link ModelConfig#dThumbnail}) and the batch's standard deviation ({@link MinibatchStddev}).
 */
public final class Discriminator extends Network {
    private final ConvStack trunk;
    private final MinibatchStddev stddev; // null: off
    private final int imageSize;
    private final boolean thumbnail;
    private final Dense hidden;
    private final Dense logit;
    private final Dense attributeHead;

    /** The thumbnail's values: 4x4 pixels, RGB. */
    public static final int THUMBNAIL_VALUES = 4 * 4 * 3;

    public Discriminator(Params params, ModelConfig config, int yDim) {
        super(params);
        boolean spectral = config.spectralD();
        this.trunk = new ConvStack(this, config, config.ndf(), spectral);
        this.stddev = config.dMinibatchStddev() ? new MinibatchStddev(params, "mbstd") : null;
        this.imageSize = config.imageSize();
        this.thumbnail = config.dThumbnail();
        int features = trunk.features() + (thumbnail ? THUMBNAIL_VALUES : 0) + (stddev != null ? 1 : 0);
        this.hidden = config.dHidden() > 0
                ? new Dense(params, "hidden", features + yDim, config.dHidden(), true, spectral) : null;
        this.logit = new Dense(params, "logit", hidden != null ? config.dHidden() : features + yDim, 1, true, spectral);
        this.attributeHead = new Dense(params, "attributes", features, yDim, true, spectral);
    }

    /** Every spectral normalisation of D, in layer order (none with batch norm). */
    public List<SpectralNorm> spectralNorms() {
        List<SpectralNorm> out = new ArrayList<>(trunk.spectralNorms());
        for (Dense dense : new Dense[] {hidden, logit, attributeHead}) {
            if (dense != null && dense.spectralNorm() != null) out.add(dense.spectralNorm());
        }
        return out;
    }

    /**
     * One power iteration of every spectral normalisation on the current weights: run once after each D update (in
     * training only); empty with batch norm.
     */
    public List<Op> powerIteration(Ops tf) {
        List<Op> ops = new ArrayList<>();
        for (SpectralNorm sn : spectralNorms()) ops.add(sn.update(tf));
        return ops;
    }

    /**
     * What D says about a batch.
     *
     * @param logits real-vs-fake logits [N, 1]
     * @param attributeLogits per-attribute logits read from the image alone [N, A]
     */
    public record Judgement(Operand<TFloat32> logits, Operand<TFloat32> attributeLogits) {}

    public Judgement apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y, Mode mode) {
        return judge(tf, features(tf, x, mode), y);
    }

    /** The same over towers; the (small) logits are joined into whole-batch tensors. */
    public Judgement apply(Ops tf, Towers x, Towers y, Mode mode) {
        return judge(tf, features(tf, x, mode), y);
    }

    /**
     * D's features of {@code x}, what y does not change: the convolutional trunk's 16·c, then the 4x4 thumbnail's 48
     * ({@link ModelConfig#dThumbnail}), then the minibatch standard deviation ({@link ModelConfig#dMinibatchStddev}).
     */
    public Operand<TFloat32> features(Ops tf, Operand<TFloat32> x, Mode mode) {
        return features(tf, Towers.of(x), mode).joined(tf);
    }

    /** The same over towers. */
    public Towers features(Ops tf, Towers x, Mode mode) {
        Ops d = tf.withSubScope("D");
        Towers f = trunk.apply(d, x, mode);
        if (thumbnail) f = f.zip(d, x, (at, fk, xk) -> at.concat(List.of(fk, thumbnail(at, xk)), at.constant(1)));
        return stddev == null ? f : stddev.apply(d, f, mode);
    }

    private Operand<TFloat32> thumbnail(Ops tf, Operand<TFloat32> x) {
        return thumbnail(tf, x, imageSize);
    }

    /**
     * x [N, S, S, 3] averaged over (S/4)² blocks, flattened: [N, 48]. A reshape and a mean rather than AvgPool, whose
     * gradient op has no gradient (R1 needs the second order).
     */
    public static Operand<TFloat32> thumbnail(Ops tf, Operand<TFloat32> x, long imageSize) {
        long block = imageSize / 4;
        Operand<TFloat32> blocks = tf.reshape(x, tf.constant(new long[] {-1, 4, block, 4, block, 3}));
        return tf.reshape(tf.math.mean(blocks, tf.constant(new int[] {2, 4})), tf.constant(new long[] {-1, THUMBNAIL_VALUES}));
    }

    /**
     * D's heads on trunk features: judging one batch of images against several y's (a matching-aware D) needs the
     * trunk, nearly all of D's work, once.
     */
    public Judgement judge(Ops tf, Operand<TFloat32> f, Operand<TFloat32> y) {
        return judge(tf, Towers.of(f), Towers.of(y));
    }

    /** The same over towers, each tower's heads on its own device. */
    public Judgement judge(Ops tf, Towers f, Towers y) {
        Ops d = tf.withSubScope("D");
        Towers h = f.zip(d, y, (at, fk, yk) -> at.concat(List.of(fk, yk), at.constant(1))); // [N, 16*c + A]
        if (hidden != null) h = h.map(d, (at, t) -> at.nn.leakyRelu(hidden.apply(at, t), LeakyRelu.alpha(0.2f))); // [N, dHidden]
        return new Judgement(h.map(d, logit::apply).joined(d), f.map(d, attributeHead::apply).joined(d)); // [N, 1], [N, A]
    }
}
