package org.facegan.train;

import java.util.SplittableRandom;
import org.facegan.data.FaceDataset;

/**
 * What one training step draws: the real images and their y, the fake y's and the z's. Every draw is a pure
 * function of (seed, step), so a resumed run draws exactly what an uninterrupted one would, with no RNG state to
 * save. Real images are taken in a fresh permutation each epoch; fake y's come from the {@link YSampler},
 * independent of the real batch.
 */
public final class StepDraws {
    private static final long REAL = 0x5EA1L, FAKE_Y = 0xFA4EL, GEN_Y = 0x6E4EL, Z = 0x2L, PERMUTATION = 0x9E3L;

    private final FaceDataset data;
    private final YSampler ySampler;
    private final int batch;
    private final int zDim;
    private final long seed;
    private final Pairs pairs;
    private long cachedEpoch = -1;
    private int[] permutation;

    /** Which of a step's fake y's come in pairs for {@code --mode-seeking} (row i + batch/2 repeats row i's y). */
    public enum Pairs {
        NONE, GENERATOR, FAKE;

        /** The y's {@code options}' mode-seeking term pairs: G's own batch, or the D phase's when G reuses it. */
        public static Pairs of(TrainOptions options) {
            return options.modeSeeking() == 0 ? NONE : options.reuseFakes() ? FAKE : GENERATOR;
        }
    }

    public StepDraws(FaceDataset data, YSampler ySampler, int batch, int zDim, long seed) {
        this(data, ySampler, batch, zDim, seed, Pairs.NONE);
    }

    /** @param pairs the y's that G's mode-seeking term pairs: G's own batch, or the D phase's when G reuses it */
    public StepDraws(FaceDataset data, YSampler ySampler, int batch, int zDim, long seed, Pairs pairs) {
        this.data = data;
        this.ySampler = ySampler;
        this.batch = batch;
        this.zDim = zDim;
        this.seed = seed;
        this.pairs = pairs;
    }

    /** Buffers for one step, reused across steps. */
    public static final class Batch {
        public final float[] images, realY, fakeZ, fakeY, genZ, genY;

        public Batch(int batch, int imageSize, int yDim, int zDim) {
            images = new float[batch * imageSize * imageSize * 3];
            realY = new float[batch * yDim];
            fakeY = new float[batch * yDim];
            genY = new float[batch * yDim];
            fakeZ = new float[batch * zDim];
            genZ = new float[batch * zDim];
        }
    }

    public Batch newBatch() {
        return new Batch(batch, data.imageSize(), data.attributeNames().size(), zDim);
    }

    /** Fills {@code b} with step {@code step}'s draws. */
    public void fill(long step, Batch b) {
        int n = data.size();
        int pixels = data.imageSize() * data.imageSize() * 3;
        int yDim = data.attributeNames().size();
        for (int i = 0; i < batch; i++) {
            long position = step * batch + i;
            int index = permutation(position / n)[(int) (position % n)];
            data.image(index, b.images, i * pixels);
            System.arraycopy(data.attributes(index), 0, b.realY, i * yDim, yDim);
        }
        ySampler.fill(stream(FAKE_Y, step), b.fakeY);
        ySampler.fill(stream(GEN_Y, step), b.genY);
        if (pairs != Pairs.NONE) {
            float[] y = pairs == Pairs.GENERATOR ? b.genY : b.fakeY;
            System.arraycopy(y, 0, y, batch / 2 * yDim, batch / 2 * yDim);
        }
        SplittableRandom zs = stream(Z, step);
        gaussian(zs, b.fakeZ);
        gaussian(zs, b.genZ);
    }

    /** Fills {@code out} with N(0, 1) draws. */
    public static void gaussian(SplittableRandom random, float[] out) {
        for (int i = 0; i < out.length; i++) out[i] = (float) random.nextGaussian();
    }

    private int[] permutation(long epoch) {
        if (epoch != cachedEpoch) {
            SplittableRandom random = stream(PERMUTATION, epoch);
            int[] p = new int[data.size()];
            for (int i = 0; i < p.length; i++) p[i] = i;
            for (int i = p.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = p[i]; p[i] = p[j]; p[j] = t;
            }
            permutation = p;
            cachedEpoch = epoch;
        }
        return permutation;
    }

    /** An independent stream per (seed, kind of draw, step or epoch). */
    private SplittableRandom stream(long kind, long index) {
        return new SplittableRandom(Seeds.derive(seed, kind, index));
    }
}
