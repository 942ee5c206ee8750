package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.SplittableRandom;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** {@code --d-thumbnail on}: D's features end with the image averaged over 8x8 blocks (32 px), 48 values a face. */
class DiscriminatorThumbnailTest {
    @Test
    void theLast48FeaturesAreTheImagesBlockMeans() {
        int n = 2, s = 32, block = s / 4;
        float[] images = new float[n * s * s * 3];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < images.length; i++) images[i] = (float) random.nextDouble(-1, 1);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Discriminator plain = new Discriminator(new Params(tf, "P", 1), Fixtures.TINY, 3);
            Discriminator d = new Discriminator(new Params(tf, "D", 1), Fixtures.TINY.withThumbnail(true), 3);
            Operand<TFloat32> x = tf.constant(Shape.of(n, s, s, 3), org.tensorflow.ndarray.buffer.DataBuffers.of(images, true, false));
            Operand<TFloat32> f = d.features(tf, x, Mode.INFERENCE), trunkOnly = plain.features(tf, x, Mode.INFERENCE);
            try (Session session = Sessions.open(g, 1); Result r = session.runner().fetch(f).fetch(trunkOnly).run()) {
                float[] features = Tensors.read((TFloat32) r.get(0));
                int width = features.length / n, trunk = Tensors.read((TFloat32) r.get(1)).length / n;
                assertThat(width).isEqualTo(trunk + Discriminator.THUMBNAIL_VALUES);
                for (int j = 0; j < n; j++) {
                    for (int by = 0; by < 4; by++) {
                        for (int bx = 0; bx < 4; bx++) {
                            for (int c = 0; c < 3; c++) {
                                double sum = 0;
                                for (int y = by * block; y < (by + 1) * block; y++) {
                                    for (int xx = bx * block; xx < (bx + 1) * block; xx++) {
                                        sum += images[((j * s + y) * s + xx) * 3 + c];
                                    }
                                }
                                float got = features[j * width + trunk + (by * 4 + bx) * 3 + c];
                                assertThat((double) got).as("face %d block (%d, %d) channel %d", j, by, bx, c)
                                        .isCloseTo(sum / (block * block), offset(1e-5));
                            }
                        }
                    }
                }
            }
        }
    }
}
