package org.facegan.eval;

import java.util.List;

/**
 * The faces' own Laplacian-pyramid patches as an {@link EvalSpace}: the sliced Wasserstein distance of Karras et al.
 * 2018 (ProGAN), averaged over the pyramid's levels. No network is involved, so nothing can have been tuned to it,
 * and it sees texture, sharpness and checkerboards at every scale.
 */
public final class PatchSpace implements EvalSpace {
    public static final String SWD = "swd";

    private final int imageSize;
    private final long seed;

    public PatchSpace(int imageSize, long seed) {
        this.imageSize = imageSize;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "patches";
    }

    @Override
    public List<String> metrics() {
        return List.of(SWD);
    }

    @Override
    public Described describe(float[] images, int count) {
        return new Patches(SlicedWasserstein.Descriptors.of(images, count, imageSize, seed));
    }

    private final class Patches implements Described {
        private final SlicedWasserstein.Descriptors descriptors;

        Patches(SlicedWasserstein.Descriptors descriptors) {
            this.descriptors = descriptors;
        }

        @Override
        public double[] distancesTo(Described other) {
            return new double[] {SlicedWasserstein.between(descriptors, ((Patches) other).descriptors, seed).mean()};
        }
    }
}
