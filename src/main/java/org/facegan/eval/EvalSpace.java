package org.facegan.eval;

import java.util.List;

/**
 * A space in which a set of faces is compared with real faces, and the distances taken there (lower: closer).
 * facegan reports several, because a generator tuned against one space can look good there and not elsewhere
 * (Goodhart's law): the attribute classifier's features, a network trained for something else (the built-in
 * faces' pose, lighting and colours, or an autoencoder's code), and Laplacian-pyramid patches that no network saw.
 */
public interface EvalSpace {
    /** Short name, used in eval.json and metric names: {@code classifier}, {@code nuisance}, {@code patches}. */
    String name();

    /** The distances this space reports, in the order {@link Described#distancesTo} returns them. */
    List<String> metrics();

    /** What this space keeps of {@code count} faces ([count, S, S, 3] in [-1, 1]). */
    Described describe(float[] images, int count);

    /** A described set of faces. */
    interface Described {
        /** Each of {@link #metrics()} between this set and {@code other}, described in the same space. */
        double[] distancesTo(Described other);
    }
}
