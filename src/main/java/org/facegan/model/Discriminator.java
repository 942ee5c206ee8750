package org.facegan.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * D(x, y): the DCGAN discriminator, conditioned by concatenating y to its flattened features before the final
 * dense layer. L x [conv k stride 2, ndf*2^i channels (bias on the first only) -> BN (not on the first) ->
 * leaky ReLU 0.2] -> flatten -> concat y -> [dense dHidden -> leaky ReLU 0.2, when dHidden > 0] -> dense 1 (the
 * logit). The hidden layer lets D weigh y against the image; without it y only shifts the logit.
 *
 * <p>An auxiliary head reads the attributes from the image features alone (before y joins them), as in AC-GAN
 * (Odena et al. 2017, "Conditional Image Synthesis with Auxiliary Classifier GANs"): trained on real faces, it
 * gives G a direct signal for drawing the requested attributes.
 */
public final class Discriminator extends Network {
    private final List<Conv2D> convs = new ArrayList<>();
    private final List<BatchNorm> convNorms = new ArrayList<>();
    private final Dense hidden;
    private final Dense logit;
    private final Dense attributeHead;
    private final int features;

    public Discriminator(Params params, ModelConfig config, int yDim) {
        super(params);
        int in = 3;
        for (int i = 0; i < config.stages(); i++) {
            int out = config.ndf() << i;
            convs.add(new Conv2D(params, "conv" + (i + 1), config.kernel(), in, out, i == 0));
            convNorms.add(i == 0 ? null : batchNorm("conv" + (i + 1) + "_bn", out));
            in = out;
        }
        this.features = 16 * in;
        this.hidden = config.dHidden() > 0 ? new Dense(params, "hidden", features + yDim, config.dHidden(), true) : null;
        this.logit = new Dense(params, "logit", hidden != null ? config.dHidden() : features + yDim, 1, true);
        this.attributeHead = new Dense(params, "attributes", features, yDim, true);
    }

    /**
     * What D says about a batch.
     *
     * @param logits real-vs-fake logits [N, 1]
     * @param attributeLogits per-attribute logits read from the image alone [N, A]
     */
    public record Judgement(Operand<TFloat32> logits, Operand<TFloat32> attributeLogits) {}

    public Judgement apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y, Mode mode) {
        Ops d = tf.withSubScope("D");
        Operand<TFloat32> h = x;                                                          // [N, S, S, 3]
        for (int i = 0; i < convs.size(); i++) {
            h = convs.get(i).apply(d, h);                                                 // [N, S/2^(i+1), ., ndf*2^i]
            if (convNorms.get(i) != null) h = convNorms.get(i).apply(d, h, mode);
            h = d.nn.leakyRelu(h, LeakyRelu.alpha(0.2f));
        }
        Operand<TFloat32> f = d.reshape(h, d.constant(new long[] {-1, features}));       // [N, 16*c]
        h = d.concat(List.of(f, y), d.constant(1));                                       // [N, 16*c + A]
        if (hidden != null) h = d.nn.leakyRelu(hidden.apply(d, h), LeakyRelu.alpha(0.2f)); // [N, dHidden]
        return new Judgement(logit.apply(d, h), attributeHead.apply(d, f));               // [N, 1], [N, A]
    }
}
