package org.facegan.cli;

import org.facegan.data.FaceDataset;
import org.facegan.eval.AttributeClassifier;
import org.facegan.eval.Evaluation;
import org.facegan.train.MetricsLog;
import org.facegan.train.PeriodicEval;

/** {@code train --eval-every}: the eval package's quick evaluation on the run's classifier. */
final class TrainingEval implements PeriodicEval, AutoCloseable {
    /** Faces per quick evaluation: enough for a Fréchet distance in 128 features, fast enough to run often. */
    static final int COUNT = 500;

    private final AttributeClassifier classifier;
    private final EvalSpaces spaces;
    private final Evaluation evaluation;
    private final String bestBy;
    private final int count;

    /** @param bestBy the distance whose lowest value picks checkpoints/best */
    TrainingEval(FaceDataset dataset, AttributeClassifier classifier, EvalSpaces spaces, String bestBy) {
        this.classifier = classifier;
        this.spaces = spaces;
        this.evaluation = new Evaluation(dataset, classifier, spaces.spaces);
        this.bestBy = bestBy;
        this.count = Math.min(COUNT, evaluation.maxCount());
    }

    @Override
    public Score evaluate(long step, Generator generator) {
        return evaluation.quick(generator, count, 1);
    }

    /** @throws IllegalArgumentException naming --best-by unless {@code metric} is a distance the evaluation reports */
    static void checkBestBy(String metric) {
        if (!metric.equals(FRECHET_CLASSIFIER) && !MetricsLog.EVAL_DISTANCES.contains(metric)) {
            throw new IllegalArgumentException("--best-by must be " + FRECHET_CLASSIFIER + " or one of "
                    + String.join(", ", MetricsLog.EVAL_DISTANCES) + ", found " + metric);
        }
    }

    @Override
    public String bestBy() {
        return bestBy;
    }

    @Override
    public void close() {
        spaces.close();
        classifier.close();
    }
}
