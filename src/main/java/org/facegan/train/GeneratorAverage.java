package org.facegan.train;

import java.util.ArrayList;
import java.util.List;
import org.facegan.model.Generator;
import org.facegan.model.BatchStatistics;
import org.facegan.model.Mode;
import org.facegan.model.ModelConfig;
import org.facegan.model.Params;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * An exponential moving average of G's weights (Karras et al. 2018, "Progressive Growing of GANs"; Yazıcı et al.
 * 2019, "The Unusual Effectiveness of Averaging in GAN Training"): a second G whose weights trail the trained one's,
 * w̄ ← w̄ − (1 − β_t)(w̄ − w) after every G update, with TensorFlow's warm-up β_t = min(β, (1 + t)/(10 + t)) so the
 * average forgets the initial weights within the first steps.
 *
 * <p>Batch norm's moving statistics belong to the weights that produced them, so the averaged G gets its own: before
 * it samples or is saved, {@link #standingStatistics} sets them to the batch statistics of the averaged G itself
 * on one large fixed batch of z and y (BigGAN's "standing statistics"; measured on the default run, the Fréchet
 * distance of the averaged G with G's moving statistics was 10–20% higher).
 *
 * <p>The averaged G is what sampling, evaluation and export use; the trained G is what D and E play against. Its
 * variables are named {@value Generator#AVERAGE_PREFIX}_LAYER_KIND and start equal to G's (same per-variable seeds).
 */
final class GeneratorAverage {
    final Generator averaged;
    private final Variable<TFloat32> updates;

    GeneratorAverage(Ops root, ModelConfig model, int yDim, long generatorSeed, Params trained) {
        averaged = new Generator(new Params(root, Generator.AVERAGE_PREFIX, generatorSeed, trained.precision(),
                trained.convPlan()), model, yDim);
        updates = root.withName(Generator.AVERAGE_PREFIX + "_updates").variable(root.constant(0f));
    }

    /** Sets the averaged G's moving statistics to those of G(z, y) on the batch fed to {@code z} and {@code y}. */
    List<Op> standingStatistics(Ops tf, Operand<TFloat32> z, Operand<TFloat32> y) {
        BatchStatistics batch = new BatchStatistics();
        averaged.apply(tf, z, y, Mode.recording(batch));
        return batch.resets(tf);
    }

    /** The ops that move the average toward {@code trained}; run them after every update of trained's weights. */
    List<Op> update(Ops tf, Generator trained, float decay) {
        Operand<TFloat32> t = tf.assignAdd(updates, tf.constant(1f));
        Operand<TFloat32> warmUp = tf.math.div(tf.math.add(t, tf.constant(1f)), tf.math.add(t, tf.constant(10f)));
        Operand<TFloat32> step = tf.math.sub(tf.constant(1f), tf.math.minimum(tf.constant(decay), warmUp));
        List<Op> ops = new ArrayList<>();
        List<Variable<TFloat32>> from = trained.params().trainable(), to = averaged.params().trainable();
        for (int i = 0; i < from.size(); i++) {
            ops.add(tf.assignSub(to.get(i), tf.math.mul(step, tf.math.sub(to.get(i), from.get(i)))));
        }
        return ops;
    }
}
