package org.facegan.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/**
 * {@code --conv auto}: each stride-2 layer in the {@link ConvForm} that runs it fastest on this host, as cuDNN's
 * autotuner picks kernels (there over kernels, here over exact rewrites of the graph). The first time a layer
 * shape, batch and mode is built on a host, its candidate forms are timed in a graph of their own, interleaved
 * round by round, and the medians compared; the choice goes into a {@link ConvChoiceCache} and later builds read
 * it. Training times the forward pass and both gradients in one run, inference the forward pass alone on a kernel
 * already arranged for the form (as an inference graph caches it).
 *
 * <p>It is never slower than the direct op by choice: the direct op is always a candidate, and another form is
 * chosen only when its median beats the direct op's by {@link #MARGIN} (timings on a shared machine swing by more
 * than a few percent). Tuning one layer takes at most about {@link #BUDGET_MILLIS} (plus {@link #MIN_ROUNDS} rounds
 * where a round is slower), once per host, TensorFlow version, shape, batch and mode. Float32 only: other
 * precisions build the direct op.
 */
public final class ConvTuner implements ConvPlan {
    /** How much faster than the direct op another form must be to be chosen: 5%. */
    public static final double MARGIN = 0.05;
    /** The time one layer's tuning may take, in milliseconds, after {@link #MIN_ROUNDS} rounds. */
    public static final long BUDGET_MILLIS = 2000;
    static final int MIN_ROUNDS = 5, MAX_ROUNDS = 31, WARMUP = 2;

    private final ConvChoiceCache cache;
    private final int defaultBatch;
    private final Consumer<String> report;
    private final long budgetMillis;
    private final Map<String, ConvChoiceCache.Choice> chosen = new LinkedHashMap<>();

    /**
     * @param cache where choices are kept between runs
     * @param defaultBatch the batch to tune for where a graph leaves it open (its training or sampling batch)
     * @param report receives one line per layer tuned (not per layer read from the cache)
     */
    public ConvTuner(ConvChoiceCache cache, int defaultBatch, Consumer<String> report) {
        this(cache, defaultBatch, report, BUDGET_MILLIS);
    }

    ConvTuner(ConvChoiceCache cache, int defaultBatch, Consumer<String> report, long budgetMillis) {
        if (defaultBatch < 1) throw new IllegalArgumentException("the tuning batch must be at least 1, found " + defaultBatch);
        this.cache = cache;
        this.defaultBatch = defaultBatch;
        this.report = report;
        this.budgetMillis = budgetMillis;
    }

    /**
     * The plan {@code --conv} names: "auto" tunes against the user's cache, a form's name builds every layer in it.
     *
     * @param batch the batch to tune for where a graph leaves it open
     */
    public static ConvPlan plan(String conv, int batch, Consumer<String> report) {
        return conv.equals("auto") ? new ConvTuner(ConvChoiceCache.userDefault(), batch, report)
                : ConvPlan.fixed(ConvForm.parse(conv));
    }

    /** Checks a {@code --conv} value: auto or a form's name. */
    public static String validate(String conv) {
        if (!conv.equals("auto")) ConvForm.parse(conv);
        return conv;
    }

    @Override
    public synchronized ConvForm form(ConvShape shape, int batch, boolean training, Precision precision) {
        if (precision != Precision.FP32) return ConvForm.DIRECT;
        int b = batch > 0 ? batch : defaultBatch;
        String key = ConvChoiceCache.key(shape, b, training);
        ConvChoiceCache.Choice choice = chosen.get(key);
        if (choice == null) {
            // an entry timed before a form was added (or removed) is stale: the layer is timed again
            List<ConvForm> candidates = ConvForm.candidates(shape, precision);
            choice = cache.get(key).filter(c -> c.form().supports(shape, precision)
                    && c.candidates().keySet().equals(java.util.Set.copyOf(candidates))).orElse(null);
            if (choice == null) {
                long t0 = System.nanoTime();
                choice = choose(measure(shape, b, training, candidates, budgetMillis));
                cache.put(key, choice);
                report.accept(String.format(Locale.ROOT, "conv auto: %s: %s (%.1fs)", key, describe(shape, choice),
                        (System.nanoTime() - t0) / 1e9));
            }
            chosen.put(key, choice);
        }
        return choice.form();
    }

    @Override
    public String toString() {
        return "auto";
    }

    /** The layers this plan has placed so far, by {@link ConvChoiceCache#key}, in build order. */
    public synchronized Map<String, ConvChoiceCache.Choice> chosen() {
        return new LinkedHashMap<>(chosen);
    }

    /** "sub-pixel 5.12 ms vs direct 8.03 ms (0.64x); matmul 9.10". */
    public static String describe(ConvShape shape, ConvChoiceCache.Choice c) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s %.2f ms vs direct %.2f ms (%.2fx)",
                c.form().describe(shape.transposed()), c.millis(), c.directMillis(), c.ratio()));
        String others = c.candidates().entrySet().stream().filter(e -> e.getKey() != c.form() && e.getKey() != ConvForm.DIRECT)
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey().describe(shape.transposed()), e.getValue()))
                .reduce((a, b) -> a + ", " + b).orElse("");
        return others.isEmpty() ? s.toString() : s + "; " + others;
    }

    /** The fastest form, unless it beats the direct op by less than {@link #MARGIN}: then the direct op. */
    static ConvChoiceCache.Choice choose(Map<ConvForm, Double> medians) {
        double direct = medians.get(ConvForm.DIRECT);
        ConvForm best = ConvForm.DIRECT;
        for (Map.Entry<ConvForm, Double> e : medians.entrySet()) if (e.getValue() < medians.get(best)) best = e.getKey();
        if (medians.get(best) > (1 - MARGIN) * direct) best = ConvForm.DIRECT;
        return new ConvChoiceCache.Choice(best, medians.get(best), direct, medians);
    }

    /**
     * Median milliseconds of each form of one layer on random data, the forms interleaved (one run of each per
     * round, the order rotating from round to round), so that a change in the machine's load falls on all of them.
     * At least {@link #MIN_ROUNDS} rounds, then more until {@code budgetMillis} is spent.
     */
    public static Map<ConvForm, Double> measure(ConvShape shape, int batch, boolean training, List<ConvForm> forms,
                                                long budgetMillis) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            int out = shape.outSize();
            Operand<TFloat32> x = random(tf, Shape.of(batch, shape.inSize(), shape.inSize(), shape.in()), 1);
            Operand<TFloat32> w = tf.variable(randomKernel(tf, shape));
            Operand<TFloat32> dy = random(tf, Shape.of(batch, out, out, shape.out()), 3);
            List<List<Operand<?>>> targets = new ArrayList<>();
            for (ConvForm form : forms) {
                Ops at = tf.withSubScope(form.toString());
                // inference graphs arrange their kernels once (WeightCache), so inference times the arranged kernel's
                // use alone; training rearranges on every step, and is timed doing so
                Operand<TFloat32> y = training || !form.rearrangesKernel() ? form.apply(at, x, w, shape, Precision.FP32)
                        : form.applyArranged(at, x, at.variable(form.arranged(at, randomKernel(at, shape), shape)), shape,
                                Precision.FP32);
                List<Operand<?>> run = new ArrayList<>(List.of(y));
                if (training) {
                    // the backward kernels as training builds them: TensorFlow's gradients with dy flowing in
                    Output<?>[] grads = graph.addGradients(form + "_grad", new Output<?>[] {y.asOutput()},
                            new Output<?>[] {x.asOutput(), w.asOutput()}, new Output<?>[] {dy.asOutput()});
                    for (Output<?> g : grads) run.add(g);
                }
                targets.add(run);
            }
            try (Session session = Sessions.open(graph, 0)) {
                session.runner().addTarget(x).addTarget(w).addTarget(dy).run();
                for (int i = 0; i < WARMUP; i++) for (List<Operand<?>> t : targets) run(session, t);
                double[][] ms = new double[forms.size()][MAX_ROUNDS];
                long start = System.nanoTime();
                int rounds = 0;
                while (rounds < MAX_ROUNDS && (rounds < MIN_ROUNDS || (System.nanoTime() - start) / 1e6 < budgetMillis)) {
                    for (int j = 0; j < forms.size(); j++) {
                        int f = (j + rounds) % forms.size();
                        ms[f][rounds] = run(session, targets.get(f));
                    }
                    rounds++;
                }
                Map<ConvForm, Double> medians = new LinkedHashMap<>();
                for (int f = 0; f < forms.size(); f++) medians.put(forms.get(f), median(Arrays.copyOf(ms[f], rounds)));
                return medians;
            }
        }
    }

    /** Milliseconds of one run of {@code targets}, nothing fetched. */
    private static double run(Session session, List<Operand<?>> targets) {
        Session.Runner runner = session.runner();
        for (Operand<?> t : targets) runner.addTarget(t);
        long t0 = System.nanoTime();
        runner.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /** A random kernel of the layer, laid out as its variable holds it (see {@link ConvForm#apply}). */
    private static Operand<TFloat32> randomKernel(Ops tf, ConvShape shape) {
        Shape kernel = shape.transposed() ? Shape.of(shape.kernel(), shape.kernel(), shape.out(), shape.in())
                : Shape.of(shape.kernel(), shape.kernel(), shape.in(), shape.out());
        return tf.random.randomUniform(tf.constant(kernel.asArray()), TFloat32.class, RandomUniform.seed(2L));
    }

    private static Operand<TFloat32> random(Ops tf, Shape shape, long seed) {
        return tf.variable(tf.random.randomUniform(tf.constant(shape.asArray()), TFloat32.class, RandomUniform.seed(seed)));
    }
}
