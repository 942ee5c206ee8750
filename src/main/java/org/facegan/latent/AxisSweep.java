package org.facegan.latent;

import java.util.List;

/**
 * One attribute axis of y swept over a range, the figure of seed 000 ("Conditional generative adversarial networks
 * for face generation"): the same faces drawn with the attribute at evenly spaced values from {@code from} to
 * {@code to} (values outside [0, 1] extrapolate past training).
 *
 * @param attribute the attribute's name
 * @param from first value
 * @param to last value
 */
public record AxisSweep(String attribute, float from, float to) {
    /**
     * Parses {@code NAME=FROM:TO}, e.g. {@code Young=-1:2}.
     *
     * @throws IllegalArgumentException naming the option and the expected form
     */
    public static AxisSweep parse(String spec) {
        int eq = spec.indexOf('='), colon = spec.indexOf(':', eq + 1);
        if (eq <= 0 || colon < 0) throw new IllegalArgumentException("--axis " + spec + ": expected NAME=FROM:TO, e.g. Smiling=0:2");
        try {
            return new AxisSweep(spec.substring(0, eq), Float.parseFloat(spec.substring(eq + 1, colon)),
                    Float.parseFloat(spec.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--axis " + spec + ": FROM and TO must be numbers, e.g. Smiling=0:2", e);
        }
    }

    /** steps >= 2 evenly spaced values from {@code from} to {@code to}, both included. */
    public float[] values(int steps) {
        if (steps < 2) throw new IllegalArgumentException("--steps must be at least 2, found " + steps);
        float[] out = new float[steps];
        for (int i = 0; i < steps; i++) out[i] = from + (to - from) * i / (steps - 1);
        return out;
    }

    /**
     * y for every tile of the figure: for each axis, for each of its values, count copies of base with the
     * attribute set to that value. Row r of the figure is values[r] of its axis.
     *
     * @param index each axis's attribute index in y
     * @return [sum over axes of steps * count, A] row-major
     */
    public static float[] grid(float[] base, List<AxisSweep> axes, int[] index, int steps, int count) {
        int a = base.length;
        float[] out = new float[axes.size() * steps * count * a];
        int row = 0;
        for (int x = 0; x < axes.size(); x++) {
            for (float v : axes.get(x).values(steps)) {
                for (int c = 0; c < count; c++) {
                    int at = (row * count + c) * a;
                    System.arraycopy(base, 0, out, at, a);
                    out[at + index[x]] = v;
                }
                row++;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return attribute + "=" + from + ":" + to;
    }
}
