package org.facegan.cli;

import org.facegan.eval.AttributeClassifier;
import org.facegan.eval.Evaluation;
import org.facegan.train.PeriodicEval;

/** {@code train --eval-every}: the eval package's quick evaluation on the run's classifier. */
final class TrainingEval implements PeriodicEval, AutoCloseable {
    /** Faces per quick evaluation: enough for a Fréchet distance in 128 features, fast enough to run often. */
    static final int COUNT = 500;

    private final AttributeClassifier classifier;
    private final Evaluation evaluation;
    private final int count;

    TrainingEval(AttributeClassifier classifier, Evaluation evaluation) {
        this.classifier = classifier;
        this.evaluation = evaluation;
        this.count = Math.min(COUNT, evaluation.maxCount());
    }

    @Override
    public Score evaluate(long step, Generator generator) {
        return evaluation.quick(generator, count, 1);
    }

    @Override
    public void close() {
        classifier.close();
    }
}
