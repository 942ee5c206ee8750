package org.facegan.eval;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * What {@code facegan eval} measured ({@code eval.json}): the model and, beside it, the same metrics for two
 * baselines (seed 004, "Generating human faces using Deep Convolutional Generative Adversarial Networks"): a
 * generator of noise images (the floor) and one that copies random training images (the ceiling a perfect generator
 * reaches), and the Fréchet distance between two disjoint sets of real faces.
 *
 * @param step the training step of the weights evaluated
 * @param count images per set
 * @param classifierAccuracy the classifier's held-out accuracy per attribute
 * @param frechetFloor Fréchet distance between two disjoint sets of {@code count} real training faces (the mean over
 *     up to {@link Evaluation#FRECHET_SETS} such pairs)
 * @param discriminatorAccuracy D's accuracy on held-out real faces (with their y) against the model's faces
 * @param distances every distance to the held-out real faces, in every {@link EvalSpace}, for the model and the
 *     baselines, with its real-vs-real floor
 * @param factors per nuisance factor, how the model's faces differ from held-out real ones; empty for datasets that do
 *     not know their nuisance factors
 */
public record EvalReport(long step, int count, List<String> attributes, double[] classifierAccuracy, Row model,
                         Row noise, Row copy, double frechetFloor, double discriminatorAccuracy, List<Distance> distances,
                         List<FactorShift> factors) {

    /**
     * One distance to the held-out real faces in one space: the model's (the mean over
     * {@link Evaluation#FRECHET_SETS} independent sets of z and y), the baselines', and the floor a perfect generator
     * would still show (two disjoint sets of real training faces).
     */
    public record Distance(String space, String metric, double model, double noise, double copy, double floor) {
        /** The model's distance in units of the real-vs-real floor (1: as good as the data). */
        public double overFloor() {
            return model / floor;
        }

        /** {@code frechet_classifier}, {@code kid_nuisance}, {@code swd_patches}: the name metrics.csv and TensorBoard use. */
        public String key() {
            return key(space, metric);
        }

        public static String key(String space, String metric) {
            return metric + "_" + space;
        }

        String label() {
            String name = switch (metric) {
                case FeatureSpace.FRECHET -> "Fréchet";
                case FeatureSpace.KID -> "KID";
                case PatchSpace.SWD -> "sliced Wasserstein";
                default -> metric.startsWith(PatchSpace.SWD_LEVEL) ? "  at " + metric.substring(PatchSpace.SWD_LEVEL.length()) : metric;
            };
            return name + " (" + space + ")";
        }
    }

    /**
     * One generator's scores.
     *
     * @param conditionalAccuracy per attribute: the share of faces whose classified attribute is the requested one
     * @param conditionalAccuracyAll the share of faces with every attribute as requested
     * @param frechet Fréchet distance to the held-out real faces in the classifier's penultimate features (the
     *     model's: the mean over {@link Evaluation#FRECHET_SETS} independent sets of z and y)
     * @param parzenLogLikelihood mean log-likelihood of held-out real faces, nats per image
     * @param parzenBandwidth the bandwidth chosen on the validation split
     */
    public record Row(double[] conditionalAccuracy, double conditionalAccuracyAll, double frechet,
                      double parzenLogLikelihood, double parzenBandwidth) {
        public double meanConditionalAccuracy() {
            double sum = 0;
            for (double a : conditionalAccuracy) sum += a;
            return sum / conditionalAccuracy.length;
        }
    }

    /** The summary table, then accuracy per attribute, then the nuisance factors. */
    public void print(PrintStream out) {
        out.printf(Locale.ROOT, "%-34s %10s %10s %10s %10s%n", "metric (" + count + " faces, step " + step + ")",
                "model", "noise", "copy", "real-real");
        out.printf(Locale.ROOT, "%-34s %10.3f %10.3f %10.3f %10s%n", "conditional accuracy, all attributes",
                model.conditionalAccuracyAll(), noise.conditionalAccuracyAll(), copy.conditionalAccuracyAll(), "");
        out.printf(Locale.ROOT, "%-34s %10.3f %10.3f %10.3f %10s%n", "conditional accuracy, mean",
                model.meanConditionalAccuracy(), noise.meanConditionalAccuracy(), copy.meanConditionalAccuracy(), "");
        for (Distance d : distances) {
            out.printf(Locale.ROOT, "%-34s %10.4g %10.4g %10.4g %10.4g   model/floor %.2f%n", d.label(), d.model(),
                    d.noise(), d.copy(), d.floor(), d.overFloor());
        }
        out.printf(Locale.ROOT, "%-34s %10.1f %10.1f %10.1f %10s%n", "Parzen log-likelihood (nats)",
                model.parzenLogLikelihood(), noise.parzenLogLikelihood(), copy.parzenLogLikelihood(), "");
        out.printf(Locale.ROOT, "%-34s %10.2f %10.2f %10.2f %10s%n", "  Parzen bandwidth", model.parzenBandwidth(),
                noise.parzenBandwidth(), copy.parzenBandwidth(), "");
        out.printf(Locale.ROOT, "%-34s %10.3f%n", "D accuracy, held-out real vs G", discriminatorAccuracy);
        out.println();
        out.printf(Locale.ROOT, "%-20s %11s %10s %10s %10s%n", "attribute", "classifier", "model", "noise", "copy");
        for (int k = 0; k < attributes.size(); k++) {
            out.printf(Locale.ROOT, "%-20s %11.3f %10.3f %10.3f %10.3f%n", attributes.get(k), classifierAccuracy[k],
                    model.conditionalAccuracy()[k], noise.conditionalAccuracy()[k], copy.conditionalAccuracy()[k]);
        }
        if (factors.isEmpty()) return;
        out.println();
        out.printf(Locale.ROOT, "%-20s %10s %10s %10s %10s %10s%n", "nuisance factor", "shift", "spread", "W1", "W1 floor",
                "(in real sd)");
        for (FactorShift f : factors) {
            out.printf(Locale.ROOT, "%-20s %+10.3f %10.3f %10.3f %10.3f%n", f.factor(), f.shift(), f.spread(),
                    f.wasserstein(), f.floor());
        }
    }
}
