package org.facegan.export;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.facegan.io.TfRecords;
import org.facegan.proto.serving.ModelSpec;
import org.facegan.proto.serving.PredictLog;
import org.facegan.proto.serving.PredictRequest;
import org.facegan.proto.serving.PredictionLog;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * TF Serving's SavedModel warm-up file (https://www.tensorflow.org/tfx/serving/saved_model_warmup): a TFRecord file
 * of PredictionLog protos at {@code assets.extra/tf_serving_warmup_requests}, replayed against a version before it
 * takes traffic. facegan export writes one request per signature, {@link #EXPORT_BATCH} rows of zeros.
 */
public final class WarmupRequests {
    public static final String FILE = "assets.extra/tf_serving_warmup_requests";
    /** TF Serving refuses a warm-up file with more records (WarmupConsts::kMaxNumRecords). */
    public static final int MAX_RECORDS = 1000;
    /** Rows in each request facegan export writes: a small batch runs every kernel a larger one would. */
    public static final int EXPORT_BATCH = 2;

    private WarmupRequests() {}

    /**
     * One request per signature, in signature order: {@code batch} rows of zeros (empty strings for string inputs);
     * unknown dimensions after the first are 1, an input of unknown rank is a vector of {@code batch}.
     */
    public static List<PredictRequest> forSignatures(Collection<Signature> signatures, int batch, String modelName) {
        List<PredictRequest> requests = new ArrayList<>();
        for (Signature s : signatures.stream().sorted(Comparator.comparing(Signature::key)).toList()) {
            PredictRequest.Builder request = PredictRequest.newBuilder()
                    .setModelSpec(ModelSpec.newBuilder().setName(modelName).setSignatureName(s.key()));
            for (var input : s.getInputs().entrySet()) {
                request.putInputs(input.getKey(), zeros(input.getKey(), input.getValue(), batch).toByteString());
            }
            requests.add(request.build());
        }
        return requests;
    }

    private static TensorProto zeros(String name, Signature.TensorDescription input, int batch) {
        Shape want = input.shape;
        long[] dims = want.isUnknown() ? new long[] {batch} : want.asArray();
        for (int i = 0; i < dims.length; i++) if (dims[i] < 0) dims[i] = i == 0 ? batch : 1;
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        long count = 1;
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
            count *= d;
        }
        TensorProto.Builder t = TensorProto.newBuilder().setDtype(input.dataType).setTensorShape(shape);
        if (input.dataType == DataType.DT_FLOAT) {
            // tensor_content, little-endian, as tf.make_tensor_proto writes an array
            t.setTensorContent(ByteString.copyFrom(ByteBuffer.allocate(Math.toIntExact(count * 4)).order(ByteOrder.LITTLE_ENDIAN)));
        } else if (input.dataType == DataType.DT_STRING) {
            for (long i = 0; i < count; i++) t.addStringVal(ByteString.EMPTY);
        } else {
            throw new IllegalArgumentException("input " + name + " has dtype " + input.dataType
                    + "; warm-up requests are made for DT_FLOAT and DT_STRING inputs only");
        }
        return t.build();
    }

    public static void write(Path file, List<PredictRequest> requests) throws IOException {
        List<byte[]> records = new ArrayList<>();
        for (PredictRequest r : requests) {
            records.add(PredictionLog.newBuilder().setPredictLog(PredictLog.newBuilder().setRequest(r)).build().toByteArray());
        }
        Files.createDirectories(file.getParent());
        TfRecords.write(file, records);
    }

    /** The predict requests of a warm-up file; an error naming the file when it is not one TF Serving would replay. */
    public static List<PredictRequest> read(Path file) {
        List<byte[]> records;
        try {
            records = TfRecords.read(file, MAX_RECORDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read warm-up requests: " + e.getMessage(), e);
        }
        List<PredictRequest> requests = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            try {
                PredictionLog log = PredictionLog.parseFrom(records.get(i));
                if (!log.hasPredictLog()) {
                    throw new IllegalArgumentException("warm-up record " + (i + 1) + " of " + file
                            + " is not a predict log (only predict requests are replayed)");
                }
                requests.add(log.getPredictLog().getRequest());
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("warm-up record " + (i + 1) + " of " + file + " is not a PredictionLog: " + e.getMessage());
            }
        }
        return requests;
    }

    /** An input of {@code request} as the TensorProto it is on the wire. */
    public static TensorProto input(PredictRequest request, String name) {
        try {
            return TensorProto.parseFrom(request.getInputsOrThrow(name));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("warm-up input " + name + " is not a TensorProto: " + e.getMessage());
        }
    }
}
