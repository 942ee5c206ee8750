package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --conv auto}: the choice is a form that can compute the layer, it is kept per host and TensorFlow version
 * and read back instead of tuned again, a corrupt or stale cache is ignored, and another form wins only by
 * {@link ConvTuner#MARGIN}. Nothing here depends on which form wins on the machine that runs it.
 */
class ConvTunerTest {
    static final ConvShape CONV = new ConvShape(false, 4, 8, 3, 4), UP = new ConvShape(true, 4, 4, 4, 3);

    @Test
    void tunesOncePerShapeThenReadsTheCache(@TempDir Path dir) throws Exception {
        ConvChoiceCache cache = new ConvChoiceCache(dir, "host-a", "2.18.0");
        List<String> lines = new ArrayList<>();
        ConvTuner tuner = new ConvTuner(cache, 2, lines::add, 50);
        for (ConvShape shape : List.of(CONV, UP)) {
            for (boolean training : new boolean[] {true, false}) {
                ConvForm form = tuner.form(shape, -1, training, Precision.FP32);
                assertThat(form.supports(shape, Precision.FP32)).isTrue();
                ConvChoiceCache.Choice stored = cache.get(ConvChoiceCache.key(shape, 2, training)).orElseThrow();
                assertThat(stored.form()).isEqualTo(form);
                assertThat(stored.candidates().keySet()).containsExactlyElementsOf(ConvForm.candidates(shape, Precision.FP32));
                assertThat(stored.millis()).isEqualTo(stored.candidates().get(form));
                assertThat(stored.directMillis()).isEqualTo(stored.candidates().get(ConvForm.DIRECT));
                assertThat(form == ConvForm.DIRECT || stored.millis() <= (1 - ConvTuner.MARGIN) * stored.directMillis()).isTrue();
            }
        }
        assertThat(lines).hasSize(4).allMatch(l -> l.startsWith("conv auto: "));
        assertThat(tuner.chosen()).hasSize(4);

        // a new process on the same host reads every choice back without timing anything
        List<String> again = new ArrayList<>();
        ConvTuner second = new ConvTuner(new ConvChoiceCache(dir, "host-a", "2.18.0"), 2, again::add, 50);
        for (ConvShape shape : List.of(CONV, UP)) {
            assertThat(second.form(shape, 2, true, Precision.FP32)).isEqualTo(tuner.form(shape, 2, true, Precision.FP32));
        }
        assertThat(again).isEmpty();
        // other precisions build the direct op without tuning
        assertThat(second.form(new ConvShape(false, 4, 16, 3, 4), 2, true, Precision.BF16)).isEqualTo(ConvForm.DIRECT);
        assertThat(again).isEmpty();
    }

    @Test
    void aChoiceRoundTripsAndCorruptOrStaleFilesAreIgnored(@TempDir Path dir) throws Exception {
        ConvChoiceCache cache = new ConvChoiceCache(dir, "host-a", "2.18.0");
        Map<ConvForm, Double> candidates = new LinkedHashMap<>(Map.of(ConvForm.DIRECT, 10.0, ConvForm.BLOCKS, 7.5));
        ConvChoiceCache.Choice choice = new ConvChoiceCache.Choice(ConvForm.BLOCKS, 7.5, 10.0, candidates);
        String key = ConvChoiceCache.key(UP, 64, true);
        cache.put(key, choice);
        assertThat(new ConvChoiceCache(dir, "host-a", "2.18.0").get(key)).contains(choice);
        assertThat(Files.list(cache.file().getParent())).containsExactly(cache.file()); // no temporary file left
        // another host or TensorFlow version: another file, nothing in it
        assertThat(new ConvChoiceCache(dir, "host-b", "2.18.0").get(key)).isEmpty();
        assertThat(new ConvChoiceCache(dir, "host-a", "2.21.0").get(key)).isEmpty();
        // a file claiming another host (copied over) is stale
        String text = Files.readString(cache.file());
        Files.writeString(cache.file(), text.replace("host-a", "host-c"));
        assertThat(cache.get(key)).isEmpty();
        // an entry naming an unknown form is ignored, the others kept
        Files.writeString(cache.file(), text.replace("\"form\" : \"blocks\"", "\"form\" : \"winograd\""));
        assertThat(cache.get(key)).isEmpty();
        // a truncated file is ignored, and the next choice replaces it
        Files.writeString(cache.file(), text.substring(0, text.length() / 2));
        assertThat(cache.get(key)).isEmpty();
        cache.put(key, choice);
        assertThat(cache.get(key)).contains(choice);
        // a tuner on a corrupt cache tunes and repairs it
        Files.write(cache.file(), new byte[] {0, 1, 2, (byte) 0xff});
        ConvTuner tuner = new ConvTuner(cache, 2, line -> {}, 20);
        ConvForm form = tuner.form(CONV, 2, false, Precision.FP32);
        assertThat(cache.get(ConvChoiceCache.key(CONV, 2, false)).orElseThrow().form()).isEqualTo(form);
    }

    /** A choice timed before a form existed is timed again, so that a new form gets its chance on every host. */
    @Test
    void aChoiceWithoutEveryCandidateOfTodayIsTunedAgain(@TempDir Path dir) {
        ConvChoiceCache cache = new ConvChoiceCache(dir, "host-a", "2.18.0");
        String key = ConvChoiceCache.key(CONV, 2, true);
        cache.put(key, new ConvChoiceCache.Choice(ConvForm.DIRECT, 1.0, 1.0, new LinkedHashMap<>(Map.of(ConvForm.DIRECT, 1.0))));
        List<String> lines = new ArrayList<>();
        new ConvTuner(cache, 2, lines::add, 20).form(CONV, 2, true, Precision.FP32);
        assertThat(lines).hasSize(1);
        assertThat(cache.get(key).orElseThrow().candidates().keySet())
                .containsExactlyElementsOf(ConvForm.candidates(CONV, Precision.FP32));
    }

    @Test
    void anotherFormWinsOnlyByTheMargin() {
        assertThat(ConvTuner.choose(Map.of(ConvForm.DIRECT, 10.0, ConvForm.MATMUL, 9.6)).form()).isEqualTo(ConvForm.DIRECT);
        assertThat(ConvTuner.choose(Map.of(ConvForm.DIRECT, 10.0, ConvForm.MATMUL, 9.4, ConvForm.BLOCKS, 9.0)).form())
                .isEqualTo(ConvForm.BLOCKS);
        assertThat(ConvTuner.choose(Map.of(ConvForm.DIRECT, 10.0, ConvForm.NCHW, 12.0)).form()).isEqualTo(ConvForm.DIRECT);
    }

    @Test
    void fixedPlansFallBackToDirectWhereTheFormCannot() {
        assertThat(ConvPlan.fixed(ConvForm.NCHW).form(CONV, 2, true, Precision.BF16)).isEqualTo(ConvForm.DIRECT);
        assertThat(ConvPlan.fixed(ConvForm.MATMUL).form(CONV, 2, true, Precision.FP32)).isEqualTo(ConvForm.MATMUL);
    }
}
