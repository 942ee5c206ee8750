package org.facegan.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * The DCGAN discriminator's trunk, shared by D and E: L x [conv k stride 2, width*2^i channels (bias on the first
 * only) -> BN (not on the first) -> leaky ReLU 0.2] -> flatten. S x S x 3 becomes 4 x 4 x (width*2^(L-1)).
 * Spectrally normalised (SN-GAN's D): L x [spectrally normalised conv k stride 2 with bias -> leaky ReLU 0.2], no BN.
 */
final class ConvStack {
    private final List<Conv2D> convs = new ArrayList<>();
    private final List<BatchNorm> norms = new ArrayList<>();
    private final int features;

    ConvStack(Network owner, ModelConfig config, int width) {
        this(owner, config.stages(), config.kernel(), width, false);
    }

    /** @param spectral spectral normalisation of every convolution in place of batch norm */
    ConvStack(Network owner, ModelConfig config, int width, boolean spectral) {
        this(owner, config.stages(), config.kernel(), width, spectral);
    }

    ConvStack(Network owner, int stages, int kernel, int width) {
        this(owner, stages, kernel, width, false);
    }

    private ConvStack(Network owner, int stages, int kernel, int width, boolean spectral) {
        int in = 3;
        for (int i = 0; i < stages; i++) {
            int out = width << i;
            convs.add(new Conv2D(owner.params(), "conv" + (i + 1), kernel, in, out, i == 0 || spectral, spectral));
            norms.add(i == 0 || spectral ? null : owner.batchNorm("conv" + (i + 1) + "_bn", out));
            in = out;
        }
        this.features = 16 * in;
    }

    /** The convolutions' spectral normalisations (none without). */
    List<SpectralNorm> spectralNorms() {
        List<SpectralNorm> out = new ArrayList<>();
        for (Conv2D conv : convs) if (conv.spectralNorm() != null) out.add(conv.spectralNorm());
        return out;
    }

    /** Length of the flattened output: 4 * 4 * channels of the last stage. */
    int features() {
        return features;
    }

    /** @return features [N, features()] */
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Mode mode) {
        return apply(tf, Towers.of(x), mode).joined(tf);
    }

    /** The same over towers. */
    Towers apply(Ops tf, Towers x, Mode mode) {
        Towers h = x;                                                                     // [N, S, S, 3]
        for (int i = 0; i < convs.size(); i++) {
            Conv2D conv = convs.get(i);
            BatchNorm norm = norms.get(i);
            if (norm != null && mode.foldsBatchNorm()) {
                h = h.map(tf, (at, t) -> conv.applyFolded(at, t, norm.folded(at)));      // [N, S/2^(i+1), ., w*2^i]
            } else {
                h = h.map(tf, (at, t) -> conv.apply(at, t, mode));                        // [N, S/2^(i+1), ., w*2^i]
                if (norm != null) h = norm.apply(tf, h, mode);
            }
            h = h.map(tf, (at, t) -> at.nn.leakyRelu(t, LeakyRelu.alpha(0.2f)));
        }
        return h.map(tf, (at, t) -> at.reshape(t, at.constant(new long[] {-1, features}))); // [N, 16*c]
    }
}
