package org.facegan.data;

import java.util.List;
import java.util.Optional;

/**
 * What varies about each face of a dataset besides its attributes, where the dataset knows it: pose, lighting,
 * colours and shape of the built-in faces (see {@link SyntheticFaces}). A network trained to read these from the
 * pixels sees what an attribute classifier is trained to ignore.
 *
 * <p>Each factor is standardised (zero mean, unit variance over a reference sample of the dataset's faces) so that
 * every factor weighs the same in a squared error. A face that does not show a factor (the hair length of a bald
 * face) has NaN there: its value was drawn but never drawn on the canvas, so no network can read it.
 */
public interface NuisanceFactors {
    /** The factors' names, in the order of every {@link #factors} vector. */
    List<String> factorNames();

    /**
     * The factors of face {@code i}: standardised values, NaN where the face does not show the factor.
     *
     * @return a new array of {@code factorNames().size()} values
     * @throws IndexOutOfBoundsException if i is not a face of the dataset
     */
    float[] factors(int i);

    /**
     * The nuisance factors of {@code faces}, seen through the wrappers {@link DataSpec} adds ({@code --attrs},
     * {@code --count}); empty for datasets that do not know theirs (CelebA, LFW, image folders).
     */
    static Optional<NuisanceFactors> of(FaceDataset faces) {
        if (faces instanceof NuisanceFactors known) return Optional.of(known);
        if (faces instanceof AttributeSelection selection) return of(selection.source());
        if (faces instanceof DatasetHead head) return of(head.source());
        return Optional.empty();
    }
}
