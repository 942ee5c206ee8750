package org.facegan.train;

import java.util.List;
import org.facegan.model.ModelConfig;
import org.facegan.model.Towers;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** What a training step is fed, and each batch split over the data-parallel towers (one part without towers). */
final class TrainingInputs {
    final Placeholder<TFloat32> realImages;   // [N, S, S, 3]
    final Placeholder<TFloat32> realY;        // [N, A]
    final Placeholder<TFloat32> fakeZ;        // [N, Z] for the D phase
    final Placeholder<TFloat32> fakeY;        // [N, A]
    final Placeholder<TFloat32> genZ;         // [N, Z] for the G and E phases (with reused fakes: sampling)
    final Placeholder<TFloat32> genY;         // [N, A]
    final Placeholder<TFloat32> noise;        // [N, Z]: VAE/GAN's ε (the D run is fed gen_z, the G run fake_z)
    final Operand<TFloat32> learningRateScale; // scalar, 1 unless fed: multiplies every learning rate (--lr-decay)
    final Towers real, realYParts, fakeZParts, fakeYParts, genZParts, genYParts;

    TrainingInputs(Ops tf, ModelConfig model, int yDim, List<DeviceSpec> towers) {
        int s = model.imageSize();
        realImages = tf.withName("real_images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s, s, 3)));
        realY = tf.withName("real_y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, yDim)));
        fakeZ = tf.withName("fake_z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, model.zDim())));
        fakeY = tf.withName("fake_y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, yDim)));
        genZ = tf.withName("gen_z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, model.zDim())));
        genY = tf.withName("gen_y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, yDim)));
        noise = tf.withName("noise").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, model.zDim())));
        learningRateScale = tf.withName("learning_rate_scale").placeholderWithDefault(tf.constant(1f), Shape.scalar());
        real = Towers.split(tf, realImages, towers);
        realYParts = real.splitLike(tf, realY);
        fakeZParts = Towers.split(tf, fakeZ, towers);
        fakeYParts = fakeZParts.splitLike(tf, fakeY);
        genZParts = Towers.split(tf, genZ, towers);
        genYParts = genZParts.splitLike(tf, genY);
    }
}
