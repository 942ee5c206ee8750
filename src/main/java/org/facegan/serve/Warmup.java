package org.facegan.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.facegan.export.WarmupRequests;
import org.facegan.proto.serving.PredictRequest;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Runs a freshly loaded version before it is served, as TF Serving replays a SavedModel's warm-up requests: the
 * requests of {@code assets.extra/tf_serving_warmup_requests}, each through the same predict path as an HTTP request.
 * A version without the file (exported before facegan wrote one) gets one generated request per signature, one row
 * of zeros: TensorFlow's loader skips the restore, without an error, when the variables index is missing, and only
 * running the graph shows that such a version answers nothing but "uninitialized value".
 */
final class Warmup {
    private Warmup() {}

    /** @return how many requests ran; @throws IllegalStateException naming the request that failed and why */
    static int run(ServedVersion version) {
        Path file = version.dir.resolve(WarmupRequests.FILE);
        List<PredictRequest> requests = Files.exists(file) ? WarmupRequests.read(file)
                : WarmupRequests.forSignatures(version.bundle.signatures(), 1, "");
        for (int i = 0; i < requests.size(); i++) {
            PredictRequest request = requests.get(i);
            String signature = request.getModelSpec().getSignatureName();
            try {
                Predict.answer(version, body(request), Integer.MAX_VALUE);
            } catch (RuntimeException e) {
                throw new IllegalStateException("warm-up request " + (i + 1) + " of " + requests.size() + " (signature "
                        + (signature.isEmpty() ? "serving_default" : signature) + ") failed: " + e.getMessage(), e);
            }
        }
        return requests.size();
    }

    /** The request in the REST API's columnar form: {"signature_name": S, "inputs": {NAME: nested lists}}. */
    static ObjectNode body(PredictRequest request) {
        ObjectNode body = Predict.JSON.createObjectNode();
        if (!request.getModelSpec().getSignatureName().isEmpty()) body.put("signature_name", request.getModelSpec().getSignatureName());
        ObjectNode inputs = body.putObject("inputs");
        for (String name : request.getInputsMap().keySet()) inputs.set(name, json(name, WarmupRequests.input(request, name)));
        return body;
    }

    /**
     * A TensorProto as nested lists. Values come from tensor_content or from the typed field, where, as in
     * TensorFlow, fewer values than the shape holds repeat the last one (none: zeros).
     */
    private static JsonNode json(String name, TensorProto t) {
        long[] shape = t.getTensorShape().getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
        long count = 1;
        for (long d : shape) count *= d;
        int n = Math.toIntExact(count);
        if (t.getDtype() == DataType.DT_FLOAT) {
            float[] values = new float[n];
            if (!t.getTensorContent().isEmpty()) {
                FloatBuffer content = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                if (content.remaining() != n) throw badInput(name, n, content.remaining());
                content.get(values);
            } else {
                List<Float> given = t.getFloatValList();
                if (given.size() > n) throw badInput(name, n, given.size());
                for (int i = 0; i < n && !given.isEmpty(); i++) values[i] = given.get(Math.min(i, given.size() - 1));
            }
            return Predict.nest(shape, 0, new int[] {0}, i -> Predict.JSON.getNodeFactory().numberNode(values[i]));
        }
        if (t.getDtype() == DataType.DT_STRING) {
            var given = t.getStringValList();
            if (given.size() > n) throw badInput(name, n, given.size());
            return Predict.nest(shape, 0, new int[] {0}, i -> Predict.JSON.createObjectNode().put("b64",
                    Base64.getEncoder().encodeToString(given.isEmpty() ? new byte[0] : given.get(Math.min(i, given.size() - 1)).toByteArray())));
        }
        throw new IllegalArgumentException("warm-up input " + name + " has dtype " + t.getDtype() + ", expected DT_FLOAT or DT_STRING");
    }

    private static IllegalArgumentException badInput(String name, int want, int found) {
        return new IllegalArgumentException("warm-up input " + name + ": its shape holds " + want + " values, found " + found);
    }
}
