import java.nio.file.Path;
import java.util.List;
import org.facegan.data.DataSpec;
import org.facegan.data.FaceDataset;
import org.facegan.eval.EvalSplit;
import org.facegan.eval.EvalSpace;
import org.facegan.eval.FactorShift;
import org.facegan.eval.FeatureSpace;
import org.facegan.eval.NuisanceRegressor;

/**
 * Which of the nuisance network's factor readings blur alone narrows (docs/quality.md, session 17). Reads 1000 real
 * held-out built-in faces and 1000 others with an evaluation's nuisance network, the others sharp, blurred (2x2 box
 * average, then nearest upsampling) and half blurred, and prints each factor's spread (sd of the readings over the
 * held-out faces' sd), as `facegan eval` prints it for a model, and the Fréchet distance in the network's features
 * over the floor (the sharp others'). A factor whose spread falls on blurred real faces is read from fine detail: a
 * model's low spread there may be missing detail, not missing variety.
 *
 *     java -cp "target/facegan.jar:target/lib/*" scripts/FactorBlurCheck.java runs/NAME/eval/nuisance [SIZE]
 */
public class FactorBlurCheck {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: FactorBlurCheck.java RUN/eval/nuisance [SIZE (32)]");
            System.exit(2);
        }
        int n = 1000, s = args.length > 1 ? Integer.parseInt(args[1]) : 32, pixels = s * s * 3;
        FaceDataset faces = DataSpec.parse("synthetic").open(s, step -> {});
        EvalSplit split = EvalSplit.of(faces.size());
        float[] heldOut = new float[n * pixels], others = new float[n * pixels];
        for (int i = 0; i < n; i++) {
            faces.image(split.heldOut()[i], heldOut, i * pixels);
            faces.image(split.validation()[i], others, i * pixels);
        }
        try (NuisanceRegressor net = NuisanceRegressor.load(Path.of(args[0]))) {
            List<String> names = net.info().outputs();
            float[] reference = net.predictions(heldOut, n), sharp = net.predictions(others, n);
            EvalSpace space = FeatureSpace.of(net, 1);
            int frechet = space.metrics().indexOf(FeatureSpace.FRECHET);
            EvalSpace.Described real = space.describe(heldOut, n);
            double floor = space.describe(others, n).distancesTo(real)[frechet];
            print("real, sharp", FactorShift.between(names, reference, sharp, sharp, n), 1);
            for (float amount : new float[] {1f, 0.5f}) {
                float[] x = blurred(others, n, s, amount);
                print(amount == 1f ? "real, box 2x" : "real, half box 2x",
                        FactorShift.between(names, reference, net.predictions(x, n), sharp, n),
                        space.describe(x, n).distancesTo(real)[frechet] / floor);
            }
        }
    }

    private static void print(String what, List<FactorShift> shifts, double frechetOverFloor) {
        StringBuilder line = new StringBuilder(String.format("%-18s Frechet/floor %6.2f  spreads:", what, frechetOverFloor));
        for (FactorShift f : shifts) line.append(String.format(" %s %.2f", f.factor(), f.spread()));
        System.out.println(line);
    }

    /** Each 2x2 block's mean, upsampled by repetition and mixed with the sharp image by {@code amount}. */
    private static float[] blurred(float[] x, int n, int s, float amount) {
        float[] y = new float[x.length];
        for (int i = 0; i < n; i++) for (int r = 0; r < s; r++) for (int c = 0; c < s; c++) for (int ch = 0; ch < 3; ch++) {
            int r0 = r & ~1, c0 = c & ~1;
            float mean = 0;
            for (int dr = 0; dr < 2; dr++) for (int dc = 0; dc < 2; dc++) mean += x[((i * s + r0 + dr) * s + c0 + dc) * 3 + ch];
            int k = ((i * s + r) * s + c) * 3 + ch;
            y[k] = amount * mean / 4 + (1 - amount) * x[k];
        }
        return y;
    }
}
