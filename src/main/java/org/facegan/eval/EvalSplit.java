package org.facegan.eval;

import java.util.stream.IntStream;

/**
 * How the evaluation divides a dataset, by index so that every evaluation of a run divides it the same way:
 * every tenth image (index ending in 9) is held out, the ones ending in 8 are the validation split (Parzen's
 * bandwidth), the other 80% train the classifier and stand for "the training set".
 */
public record EvalSplit(int[] train, int[] validation, int[] heldOut) {
    public static EvalSplit of(int size) {
        if (size < 20) throw new IllegalArgumentException("evaluation needs at least 20 images, found " + size);
        return new EvalSplit(IntStream.range(0, size).filter(i -> i % 10 < 8).toArray(),
                IntStream.range(0, size).filter(i -> i % 10 == 8).toArray(),
                IntStream.range(0, size).filter(i -> i % 10 == 9).toArray());
    }
}
