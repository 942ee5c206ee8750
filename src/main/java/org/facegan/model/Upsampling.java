package org.facegan.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How one of G's layers doubles the image: a k x k stride-2 transposed convolution (DCGAN's), or a nearest-neighbour
 * x2 resize followed by a 3 x 3 stride-1 convolution (Odena et al. 2016, "Deconvolution and Checkerboard Artifacts"),
 * whose every output pixel sees the same number of kernel taps, so it cannot draw the transposed convolution's
 * checkerboard.
 *
 * <p>A spec names one kind for every layer ({@code deconv}, {@code resize}) or one per layer, comma-separated, from
 * the 4x4 seed outwards, the last one drawing RGB (or, with {@link ModelConfig#gTopChannels}, the hidden layer at
 * full resolution): faces32 has 3 layers (4->8, 8->16, 16->32), so {@code resize,resize,deconv} resizes in the first
 * two and keeps the transposed convolution for the last.
 */
public enum Upsampling {
    DECONV, RESIZE;

    /** The spec of a model that does not name one: every layer a transposed convolution, as before the option. */
    public static final String DEFAULT_SPEC = "deconv";

    /** Parses one word: deconv or resize (any case). */
    public static Upsampling parse(String word) {
        for (Upsampling u : values()) if (u.toString().equals(word.trim().toLowerCase(Locale.ROOT))) return u;
        throw new IllegalArgumentException("upsample must be deconv or resize (or one of them per layer, comma-separated),"
                + " found '" + word + "'");
    }

    /**
     * The kind of each of {@code layers} layers.
     *
     * @throws IllegalArgumentException naming the spec when a word is unknown or the list has the wrong length
     */
    public static List<Upsampling> layers(String spec, int layers) {
        String[] words = spec.split(",", -1);
        if (words.length == 1) return Collections.nCopies(layers, parse(words[0]));
        if (words.length != layers) {
            throw new IllegalArgumentException("upsample lists one kind per G layer: " + layers + " for this image size,"
                    + " found " + words.length + " in '" + spec + "'");
        }
        List<Upsampling> out = new ArrayList<>();
        for (String w : words) out.add(parse(w));
        return List.copyOf(out);
    }

    /** The shortest spec of {@code kinds}: one word when every layer has the same kind. */
    public static String spec(List<Upsampling> kinds) {
        if (kinds.stream().distinct().count() == 1) return kinds.get(0).toString();
        return String.join(",", kinds.stream().map(Upsampling::toString).toList());
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
