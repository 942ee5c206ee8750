package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * {@code --g-top CHANNELS}: G's last transposed convolution draws CHANNELS feature maps at full resolution, batch
 * normalised and rectified, and a 3x3 stride-1 convolution draws RGB from them, where without it the last transposed
 * convolution draws RGB itself.
 */
class GeneratorTopTest {
    static final int N = 2, Y = 3, TOP = 4;

    @Test
    void theLastTransposedConvolutionDrawsHiddenChannelsAndA3x3ConvolutionDrawsRgb() {
        ModelConfig m = Fixtures.TINY.withGeneratorTop(TOP);
        int s = m.imageSize(), before = m.ngf(); // channels into the last transposed convolution
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Generator gen = new Generator(new Params(tf, Generator.PREFIX, 1), m, Y);
            var images = gen.apply(tf, tf.constant(new float[N][m.zDim()]), tf.constant(new float[N][Y]), Mode.TRAIN);
            assertThat(images.shape()).isEqualTo(Shape.of(N, s, s, 3));
            Map<String, Shape> shapes = new java.util.HashMap<>();
            for (Variable<TFloat32> v : gen.params().trainable()) shapes.put(v.op().name(), v.shape());
            assertThat(shapes).doesNotContainKeys("G_rgb_w", "G_rgb_b")
                    .containsEntry("G_top_w", Shape.of(m.kernel(), m.kernel(), TOP, before))
                    .containsEntry("G_top_bn_gamma", Shape.of(TOP))
                    .containsEntry("G_rgb3x3_w", Shape.of(3, 3, TOP, 3))
                    .containsEntry("G_rgb3x3_b", Shape.of(3));
            assertThat(gen.params().statistics()).extracting(v -> v.op().name()).contains("G_top_bn_mean", "G_top_bn_var");

            List<GraphOperation> convolutions = new ArrayList<>();
            g.operations().forEachRemaining(op -> {
                if (op.type().equals("Conv2D")) convolutions.add((GraphOperation) op);
            });
            assertThat(convolutions).as("one forward convolution: 3x3 to RGB").hasSize(1);
            GraphOperation rgb = convolutions.get(0);
            assertThat(rgb.input(0).shape()).as("its input: the hidden channels at full resolution")
                    .isEqualTo(Shape.of(N, s, s, TOP));
            assertThat(rgb.attributes().getAttrIntList("strides")).containsExactly(1L, 1L, 1L, 1L);
        }
        assertThat(Flops.generator(m, Y)).as("the extra layer's FLOPs").isGreaterThan(Flops.generator(Fixtures.TINY, Y));
    }
}
