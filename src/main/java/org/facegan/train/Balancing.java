package org.facegan.train;

import java.util.Locale;

/**
 * Seed 003's ways of keeping the D/G game open, off by default:
 *
 * <ul>
 *   <li>{@code margin[:M]}: skip D's update while D is winning by the margin (its loss on real or on fake faces
 *       below M), skip G's while G is (either loss above 1 - M); never both ({@link MarginRule}).</li>
 *   <li>{@code l2}: D's weights get an L2 penalty whose weight rises by {@link #L2_STEP} each step G's adversarial
 *       loss is above {@link #G_LOSS_HIGH} and falls back (not below 0) each step it is below {@link #G_LOSS_LOW}.</li>
 * </ul>
 *
 * and, independently, one-sided label smoothing: D's target for real faces is {@code realLabel} (e.g. 0.9) instead
 * of 1, fakes stay at 0 (Salimans et al. 2016).
 */
public record Balancing(Rule rule, float margin, float realLabel) {
    public enum Rule { NONE, MARGIN, L2 }

    public static final float DEFAULT_MARGIN = 0.3f;
    public static final float G_LOSS_LOW = 0.9f, G_LOSS_HIGH = 1.2f, L2_STEP = 1e-5f;
    public static final Balancing NONE = new Balancing(Rule.NONE, 0, 1);
    public static final String SPECS = "none, margin[:M] or l2";

    public Balancing {
        if (rule == Rule.MARGIN && !(margin > 0 && margin < 0.5)) {
            throw new IllegalArgumentException("--balance margin:M needs M in (0, 0.5), found " + margin);
        }
        if (!(realLabel > 0.5f && realLabel <= 1)) {
            throw new IllegalArgumentException("--label-smoothing must be in (0.5, 1] (1 = off), found " + realLabel);
        }
    }

    /**
     * Parses {@code none}, {@code margin}, {@code margin:M} or {@code l2}, with D's target for real faces.
     *
     * @throws IllegalArgumentException naming --balance and the accepted forms
     */
    public static Balancing parse(String spec, float realLabel) {
        if (spec == null || spec.equals("none")) return new Balancing(Rule.NONE, 0, realLabel);
        if (spec.equals("l2")) return new Balancing(Rule.L2, 0, realLabel);
        if (spec.equals("margin")) return new Balancing(Rule.MARGIN, DEFAULT_MARGIN, realLabel);
        if (spec.startsWith("margin:")) {
            try {
                return new Balancing(Rule.MARGIN, Float.parseFloat(spec.substring("margin:".length())), realLabel);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--balance " + spec + ": the margin is not a number");
            }
        }
        throw new IllegalArgumentException("--balance must be " + SPECS + ", found " + spec);
    }

    /** The canonical spec, as config.json stores it. */
    public String spec() {
        return switch (rule) {
            case NONE -> "none";
            case L2 -> "l2";
            case MARGIN -> String.format(Locale.ROOT, "margin:%s", margin);
        };
    }
}
