package org.facegan.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The answers' float text reads back as the same float, for every kind of float, and the answers are the JSON that
 * Jackson's own writer gives, number for number.
 */
class FloatTextTest {
    @Test
    void everyFloatReadsBackAsItself() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] out = new byte[FloatText.MAX_LENGTH];
        for (int i = 0; i < 3_000_000; i++) {
            // all bit patterns, and the range of images, codes and logits more densely
            float v = i % 2 == 0 ? Float.intBitsToFloat(random.nextInt()) : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-5, 9)));
            if (Float.isNaN(v)) continue;
            assertReadsBack(v, out);
        }
        float[] edges = {0f, -0f, 1f, -1f, 0.1f, 1e-4f, -1e-4f, Math.nextDown(1e-4f), Math.nextUp(1e-4f), 1e8f,
            Math.nextDown(1e8f), 9.9999999e-2f, 0.099999994f, 99999.99f, 999999.94f, 9999999.0f, 0.5f, 12f, 123456.79f,
            Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, Math.nextDown(1f), Math.nextUp(-1f)};
        for (float v : edges) assertReadsBack(v, out);
        for (int bits = Float.floatToIntBits(0.0999f); bits < Float.floatToIntBits(0.1001f); bits++) {
            assertReadsBack(Float.intBitsToFloat(bits), out); // across a decade, where the digits carry
        }
    }

    @Test
    void shortTextsForRoundValuesAndQuotedNonNumbers() {
        assertThat(text(0.5f)).isEqualTo("0.5");
        assertThat(text(-0.25f)).isEqualTo("-0.25");
        assertThat(text(12f)).isEqualTo("12.0");
        assertThat(text(1f)).isEqualTo("1.0");
        assertThat(text(0f)).isEqualTo("0.0");
        assertThat(text(0.001f)).isEqualTo("0.00100000005"); // 9 significant digits: the float nearest 0.001
        assertThat(text(Float.NaN)).isEqualTo("\"NaN\"");
        assertThat(text(Float.NEGATIVE_INFINITY)).isEqualTo("\"-Infinity\"");
    }

    @Test
    void answersAreTheJsonOfJacksonsWriterNumberForNumber() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        float[] images = new float[2 * 4 * 4 * 3];
        for (int i = 0; i < images.length; i++) images[i] = (float) Math.tanh(random.nextGaussian());
        float[] logits = {-0.0228f, 3.5e-7f, 1234.5f};
        Map<String, Values> results = new LinkedHashMap<>();
        results.put("images", Values.ofFloats(new long[] {2, 4, 4, 3}, images));
        results.put("logits", Values.ofFloats(new long[] {2, 1}, new float[] {logits[0], logits[2]}));
        results.put("image_bytes", Values.ofStrings(new long[] {2}, new byte[][] {{1, 2, 3}, {(byte) 255}}));
        results.put("name", Values.ofStrings(new long[] {2}, new byte[][] {"a \"q\"\n".getBytes(StandardCharsets.UTF_8),
            "é".getBytes(StandardCharsets.UTF_8)}));
        for (boolean rows : new boolean[] {true, false}) {
            JsonNode answer = Predict.JSON.readTree(Predict.respond(results, rows));
            JsonNode body = answer.get(rows ? "predictions" : "outputs");
            for (int n = 0; n < 2; n++) {
                JsonNode images0 = rows ? body.get(n).get("images") : body.get("images").get(n);
                for (int i = 0; i < 48; i++) {
                    float got = (float) images0.get(i / 12).get(i / 3 % 4).get(i % 3).doubleValue();
                    assertThat(Float.floatToIntBits(got)).as("rows %s, face %d, value %d", rows, n, i)
                            .isEqualTo(Float.floatToIntBits(images[n * 48 + i]));
                }
                JsonNode bytes = rows ? body.get(n).get("image_bytes") : body.get("image_bytes").get(n);
                assertThat(bytes.get("b64").asText()).isEqualTo(n == 0 ? "AQID" : "/w==");
                JsonNode name = rows ? body.get(n).get("name") : body.get("name").get(n);
                assertThat(name.asText()).isEqualTo(n == 0 ? "a \"q\"\n" : "é");
            }
            JsonNode logit = rows ? body.get(1).get("logits").get(0) : body.get("logits").get(1).get(0);
            assertThat((float) logit.doubleValue()).isEqualTo(1234.5f);
        }
    }

    private static void assertReadsBack(float v, byte[] out) {
        int end = FloatText.write(v, out, 0);
        String text = new String(out, 0, end, StandardCharsets.US_ASCII);
        assertThat(Float.floatToIntBits(Float.parseFloat(text))).as("%s written as %s", v, text)
                .isEqualTo(Float.floatToIntBits(v));
    }

    private static String text(float v) {
        byte[] out = new byte[FloatText.MAX_LENGTH];
        return new String(out, 0, FloatText.write(v, out, 0), StandardCharsets.US_ASCII);
    }
}
