package org.facegan.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The faces' own Laplacian-pyramid patches as an {@link EvalSpace}: the sliced Wasserstein distance of Karras et al.
 * 2018 (ProGAN), averaged over the pyramid's levels, and at each level, as ProGAN reports it ({@code swd_32px}, ...):
 * the finer levels are band-pass detail (texture, sharpness, checkerboards), the coarsest the low-pass image itself
 * (colours, light, layout), so the levels say which of these a model gets wrong. No network is involved, so nothing
 * can have been tuned to it.
 */
public final class PatchSpace implements EvalSpace {
    public static final String SWD = "swd";
    /** The prefix of the per-level metrics: {@code swd_32px} is the distance at the 32×32 level. */
    public static final String SWD_LEVEL = "swd_";

    private final int imageSize;
    private final long seed;
    private final List<String> metrics;

    public PatchSpace(int imageSize, long seed) {
        this.imageSize = imageSize;
        this.seed = seed;
        List<String> metrics = new ArrayList<>(List.of(SWD));
        for (int k = 0; k < LaplacianPyramid.levels(imageSize); k++) {
            metrics.add(SWD_LEVEL + LaplacianPyramid.levelSize(imageSize, k) + "px");
        }
        this.metrics = List.copyOf(metrics);
    }

    @Override
    public String name() {
        return "patches";
    }

    @Override
    public List<String> metrics() {
        return metrics;
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
            SlicedWasserstein.Result swd = SlicedWasserstein.between(descriptors, ((Patches) other).descriptors, seed);
            double[] distances = new double[1 + swd.perLevel().length];
            distances[0] = swd.mean();
            System.arraycopy(swd.perLevel(), 0, distances, 1, swd.perLevel().length);
            return distances;
        }
    }
}
