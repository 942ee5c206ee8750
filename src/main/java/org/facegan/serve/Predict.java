package org.facegan.serve;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import org.tensorflow.Result;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * TF Serving's REST predict: {@code {"signature_name": S, "instances": [...]}} (row format, answered with
 * {@code "predictions"}) or {@code {"inputs": ...}} (columnar, answered with {@code "outputs"}); strings as
 * {@code {"b64": ...}} and string outputs whose name ends in {@code _bytes} base64-encoded the same way.
 * See https://www.tensorflow.org/tfx/serving/api_rest.
 */
final class Predict {
    /**
     * Reads requests, and writes the server's JSON other than predict answers ({@link #respond} writes those) with
     * Jackson's Schubfach writer: the shortest decimal that reads back as the same float, as JDK 19's Float.toString.
     */
    static final ObjectMapper JSON = JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private Predict() {}

    /** Answers {@code body} with {@code version}'s signature, as JSON bytes; at most {@code maxBatch} rows. */
    static byte[] answer(ServedVersion version, JsonNode body, int maxBatch) {
        Parsed request = parse(version, body, maxBatch);
        return respond(run(version, request.signature(), request.inputs()), request.rows());
    }

    /**
     * A request checked against its signature and not yet run.
     *
     * @param rows whether it came in the row format (answered with "predictions") or the columnar one ("outputs")
     * @param inputs the signature's inputs, in its order
     * @param batchable whether it may be merged with others: every input and output of the signature has a leading
     *     dimension of any size, and every input here has the same number of rows along it
     */
    record Parsed(String signature, boolean rows, Map<String, Values> inputs, boolean batchable) {
        /** The number of rows along dimension 0 (meaningful when batchable). */
        int size() {
            return (int) inputs.values().iterator().next().rows();
        }

        /** What requests must share, besides version and signature, to be merged: each input's dtype and row shape. */
        String rowShapes() {
            StringBuilder key = new StringBuilder();
            inputs.forEach((name, v) -> key.append(name).append(v.floats() != null ? ":float" : ":string").append(v.rowShape()).append(' '));
            return key.toString();
        }
    }

    /** Parses and validates {@code body}; @throws ServeException 400 or 413 naming what is wrong */
    static Parsed parse(ServedVersion version, JsonNode body, int maxBatch) {
        if (!body.isObject()) throw ServeException.badRequest("the request body must be a JSON object");
        String signatureName = body.path("signature_name").asText("serving_default");
        Signature signature = version.signature(signatureName);
        Map<String, Signature.TensorDescription> inputs = signature.getInputs();
        boolean rows = body.has("instances");
        if (rows == body.has("inputs")) {
            throw ServeException.badRequest("Missing 'instances' or 'inputs' key (exactly one of them)");
        }
        Map<String, JsonNode> columns = rows ? columnsOfRows(body.get("instances"), inputs.keySet(), maxBatch)
                : columns(body.get("inputs"), inputs.keySet());
        Map<String, Values> values = new LinkedHashMap<>();
        for (var e : inputs.entrySet()) {
            JsonNode column = columns.get(e.getKey());
            if (column == null) throw ServeException.badRequest("missing input: " + e.getKey());
            values.put(e.getKey(), values(e.getKey(), e.getValue(), column, maxBatch));
        }
        boolean batchable = !values.isEmpty() && signature.getInputs().values().stream().allMatch(Predict::leadingBatch)
                && signature.getOutputs().values().stream().allMatch(Predict::leadingBatch)
                && values.values().stream().mapToLong(Values::rows).distinct().count() == 1
                && values.values().iterator().next().rows() > 0;
        return new Parsed(signatureName, rows, values, batchable);
    }

    private static boolean leadingBatch(Signature.TensorDescription d) {
        return !d.shape.isUnknown() && d.shape.numDimensions() >= 1 && d.shape.size(0) < 0;
    }

    /**
     * Runs {@code signature} on {@code inputs}; the outputs in the signature's order.
     *
     * <p>A single row runs as two (itself twice, the copy's outputs dropped), as TF Serving pads a batch up to one of
     * its allowed_batch_sizes: TensorFlow's CPU MatMul takes a matrix-vector kernel for one row, which sums in another
     * order than its matrix-matrix kernel (a few units in the last place), while every kernel of these models gives a
     * row the same bits in any batch of two rows or more. So a row's answer is the same whether it ran alone or merged
     * with others by the batch scheduler, bit for bit. facegan's own exports need no padding: their dense layers give a
     * lone row the matrix kernel's bits ({@link org.facegan.model.Dense}), and their provenance says so.
     */
    static Map<String, Values> run(ServedVersion version, String signature, Map<String, Values> inputs) {
        if (version.rowsIndependentOfBatch || !isSingleRow(version.signature(signature), inputs)) {
            return runAsIs(version, signature, inputs);
        }
        Map<String, Values> padded = new LinkedHashMap<>();
        inputs.forEach((name, v) -> padded.put(name, Values.concat(List.of(v, v))));
        Map<String, Values> outputs = new LinkedHashMap<>();
        runAsIs(version, signature, padded).forEach((name, v) -> outputs.put(name, v.rows(0, 1)));
        return outputs;
    }

    /** Whether every input and output has a leading batch dimension and every input has exactly one row. */
    private static boolean isSingleRow(Signature signature, Map<String, Values> inputs) {
        return !inputs.isEmpty() && inputs.values().stream().allMatch(v -> v.rows() == 1)
                && signature.getInputs().values().stream().allMatch(Predict::leadingBatch)
                && signature.getOutputs().values().stream().allMatch(Predict::leadingBatch);
    }

    private static Map<String, Values> runAsIs(ServedVersion version, String signature, Map<String, Values> inputs) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        try {
            for (var e : inputs.entrySet()) feeds.put(e.getKey(), e.getValue().tensor());
            try (Result result = version.bundle.function(signature).call(feeds)) {
                Map<String, Values> outputs = new LinkedHashMap<>();
                for (String name : version.signature(signature).getOutputs().keySet()) {
                    outputs.put(name, Values.of(result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name))));
                }
                return outputs;
            }
        } catch (org.tensorflow.exceptions.TensorFlowException e) {
            throw ServeException.badRequest(e.getMessage().lines().findFirst().orElse("TensorFlow failed"));
        } finally {
            feeds.values().forEach(Tensor::close);
        }
    }

    /** Row format: one value (one input) or one object (several) per instance, turned into a column per input. */
    private static Map<String, JsonNode> columnsOfRows(JsonNode instances, java.util.Set<String> names, int maxBatch) {
        if (!instances.isArray() || instances.isEmpty()) throw ServeException.badRequest("'instances' must be a non-empty list");
        if (instances.size() > maxBatch) {
            throw new ServeException(413, "batch of " + instances.size() + " instances is over this server's limit of " + maxBatch);
        }
        Map<String, JsonNode> columns = new LinkedHashMap<>();
        for (String name : names) columns.put(name, JSON.createArrayNode());
        for (JsonNode instance : instances) {
            if (names.size() == 1 && !(instance.isObject() && instance.has(names.iterator().next()) && !instance.has("b64"))) {
                ((ArrayNode) columns.get(names.iterator().next())).add(instance);
                continue;
            }
            if (!instance.isObject()) throw ServeException.badRequest("each instance must be an object naming the inputs " + names);
            for (String name : names) {
                if (!instance.has(name)) throw ServeException.badRequest("instance is missing input " + name);
                ((ArrayNode) columns.get(name)).add(instance.get(name));
            }
        }
        return columns;
    }

    /** Columnar format: the value of the only input, or an object of inputs. */
    private static Map<String, JsonNode> columns(JsonNode inputs, java.util.Set<String> names) {
        Map<String, JsonNode> columns = new LinkedHashMap<>();
        if (inputs.isObject() && names.stream().anyMatch(inputs::has)) {
            inputs.fields().forEachRemaining(f -> columns.put(f.getKey(), f.getValue()));
            for (String key : columns.keySet()) if (!names.contains(key)) throw ServeException.badRequest("unknown input: " + key);
        } else if (names.size() == 1) {
            columns.put(names.iterator().next(), inputs);
        } else {
            throw ServeException.badRequest("'inputs' must be an object naming the inputs " + names);
        }
        return columns;
    }

    private static Values values(String name, Signature.TensorDescription want, JsonNode value, int maxBatch) {
        List<Long> dims = new ArrayList<>();
        List<JsonNode> leaves = new ArrayList<>();
        flatten(name, value, dims, leaves);
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        checkShape(name, want.shape, shape);
        if (shape.length > 0 && shape[0] > maxBatch) {
            throw new ServeException(413, "batch of " + shape[0] + " is over this server's limit of " + maxBatch);
        }
        if (want.dataType == DataType.DT_FLOAT) {
            float[] values = new float[leaves.size()];
            for (int i = 0; i < values.length; i++) {
                JsonNode leaf = leaves.get(i);
                if (!leaf.isNumber()) throw ServeException.badRequest("input " + name + ": expected a number, found " + leaf);
                values[i] = leaf.floatValue();
            }
            return Values.ofFloats(shape, values);
        }
        if (want.dataType == DataType.DT_STRING) {
            byte[][] values = new byte[leaves.size()][];
            for (int i = 0; i < values.length; i++) values[i] = bytes(name, leaves.get(i));
            return Values.ofStrings(shape, values);
        }
        throw ServeException.badRequest("input " + name + " has dtype " + want.dataType + ", which this server does not take");
    }

    private static byte[] bytes(String name, JsonNode leaf) {
        if (leaf.isObject() && leaf.has("b64")) {
            try {
                return Base64.getDecoder().decode(leaf.get("b64").asText());
            } catch (IllegalArgumentException e) {
                throw ServeException.badRequest("input " + name + ": invalid base64");
            }
        }
        if (leaf.isTextual()) return leaf.asText().getBytes(StandardCharsets.UTF_8);
        throw ServeException.badRequest("input " + name + ": expected a string or {\"b64\": ...}, found " + leaf);
    }

    /**
     * Walks nested lists: their lengths become the shape, their leaves the values. The lists must be rectangular:
     * the same length at each depth and every leaf at the same depth.
     */
    private static void flatten(String name, JsonNode value, List<Long> dims, List<JsonNode> leaves) {
        new Object() {
            int leafDepth = -1;

            void walk(JsonNode node, int depth) {
                if (!node.isArray()) {
                    if (leafDepth < 0) leafDepth = depth;
                    if (depth != leafDepth || dims.size() != depth) throw uneven();
                    leaves.add(node);
                    return;
                }
                if (depth > 8) throw ServeException.badRequest("input " + name + ": nested too deeply");
                if (leafDepth >= 0 && depth >= leafDepth) throw uneven();
                if (dims.size() == depth) dims.add((long) node.size());
                else if (dims.get(depth) != node.size()) throw uneven();
                for (JsonNode child : node) walk(child, depth + 1);
            }

            ServeException uneven() {
                return ServeException.badRequest("input " + name + ": nested lists of different lengths or depths");
            }
        }.walk(value, 0);
        long count = 1;
        for (long d : dims) count *= d;
        if (count != leaves.size()) throw ServeException.badRequest("input " + name + ": nested lists of different lengths or depths");
    }

    private static void checkShape(String name, Shape want, long[] got) {
        if (want.isUnknown()) return;
        boolean ok = want.numDimensions() == got.length;
        for (int i = 0; ok && i < got.length; i++) ok = want.size(i) < 0 || want.size(i) == got[i];
        if (!ok) {
            throw ServeException.badRequest("input " + name + " has shape " + java.util.Arrays.toString(got)
                    + ", the signature wants " + want + " (-1: any)");
        }
    }

    /**
     * The answer as JSON bytes: "predictions" (one entry per row) for the row format, "outputs" for the columnar one.
     * Written straight from the output arrays ({@link JsonBytes}), not through a tree of JSON nodes (one object per
     * number: a 64-px face is 12,288 of them) nor a generator call per number.
     */
    static byte[] respond(Map<String, Values> results, boolean rows) {
        long floats = results.values().stream().mapToLong(v -> v.floats() != null ? v.length() : 0).sum();
        JsonBytes out = new JsonBytes((int) Math.min(1 << 26, 64 + floats * 14)); // a face: ~13.2 bytes a float with brackets
        out.raw('{');
        if (!rows) {
            out.string("outputs").raw(':');
            writeOutputs(out, results, (name, values) -> writeNested(out, name, values, 0, new int[] {0}));
        } else {
            out.string("predictions").raw(":[");
            long n = Math.max(0, results.values().iterator().next().rows());
            for (int i = 0; i < n; i++) {
                if (i > 0) out.raw(',');
                int row = i;
                writeOutputs(out, results, (name, values) -> {
                    if (row < values.rows()) writeRow(out, name, values, row);
                    else out.raw("null");
                });
            }
            out.raw(']');
        }
        return out.raw('}').toBytes();
    }

    /** One output written bare, or several as an object keyed by output name, as TF Serving answers. */
    private static void writeOutputs(JsonBytes out, Map<String, Values> results,
                                     BiConsumer<String, Values> write) {
        if (results.size() == 1) {
            var only = results.entrySet().iterator().next();
            write.accept(only.getKey(), only.getValue());
            return;
        }
        out.raw('{');
        boolean first = true;
        for (var e : results.entrySet()) {
            if (!first) out.raw(',');
            first = false;
            out.string(e.getKey()).raw(':');
            write.accept(e.getKey(), e.getValue());
        }
        out.raw('}');
    }

    /** Row {@code row} of {@code values}: its nested lists below dimension 0. */
    private static void writeRow(JsonBytes out, String name, Values values, int row) {
        writeNested(out, name, values, 1, new int[] {row * values.rowLength()});
    }

    /**
     * Dimensions {@code depth} and on of {@code values} as nested lists, from leaf {@code next[0]} (row-major) on;
     * strings as text, or {"b64": ...} for outputs named *_bytes.
     */
    private static void writeNested(JsonBytes out, String name, Values values, int depth, int[] next) {
        long[] shape = values.shape();
        if (depth == shape.length) {
            int i = next[0]++;
            if (values.floats() != null) out.floats(values.floats(), i, 1);
            else if (name.endsWith("_bytes")) out.base64(values.strings()[i]);
            else out.string(new String(values.strings()[i], StandardCharsets.UTF_8));
            return;
        }
        out.raw('[');
        if (depth == shape.length - 1 && values.floats() != null) { // the innermost list of floats in one go
            int count = Math.toIntExact(shape[depth]);
            out.floats(values.floats(), next[0], count);
            next[0] += count;
        } else {
            for (long i = 0; i < shape[depth]; i++) {
                if (i > 0) out.raw(',');
                writeNested(out, name, values, depth + 1, next);
            }
        }
        out.raw(']');
    }

    /** Nested lists of {@code shape}, leaf i (row-major) from {@code leaf}; {@code next} counts the leaves written. */
    static JsonNode nest(long[] shape, int depth, int[] next, IntFunction<JsonNode> leaf) {
        if (depth == shape.length) return leaf.apply(next[0]++);
        ArrayNode list = JSON.createArrayNode();
        for (long i = 0; i < shape[depth]; i++) list.add(nest(shape, depth + 1, next, leaf));
        return list;
    }
}
