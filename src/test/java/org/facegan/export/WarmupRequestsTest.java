package org.facegan.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.facegan.proto.serving.PredictRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/** The warm-up file: one request per signature, written as TFRecords and read back; a damaged file is refused. */
class WarmupRequestsTest {
    @TempDir
    Path tmp;

    @Test
    void requestsRoundTripThroughTheTfRecordFileAndADamagedOneIsRefused() throws Exception {
        List<PredictRequest> requests;
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var z = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
            var names = tf.placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
            Signature b = Signature.builder("b").input("z", z).output("out", tf.identity(z)).build();
            Signature a = Signature.builder("a").input("names", names).output("out", tf.identity(names)).build();
            requests = WarmupRequests.forSignatures(List.of(b, a), 2, "tiny");
        }
        assertThat(requests).extracting(r -> r.getModelSpec().getSignatureName()).containsExactly("a", "b");
        TensorProto zeros = WarmupRequests.input(requests.get(1), "z");
        assertThat(zeros.getDtype()).isEqualTo(DataType.DT_FLOAT);
        assertThat(zeros.getTensorShape().getDimList()).extracting(d -> d.getSize()).containsExactly(2L, 3L);
        assertThat(zeros.getTensorContent().size()).isEqualTo(2 * 3 * 4);
        assertThat(WarmupRequests.input(requests.get(0), "names").getStringValCount()).isEqualTo(2);

        Path file = tmp.resolve(WarmupRequests.FILE);
        WarmupRequests.write(file, requests);
        assertThat(WarmupRequests.read(file)).isEqualTo(requests);

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 6] ^= 1; // inside the last record's data
        Files.write(file, bytes);
        assertThatThrownBy(() -> WarmupRequests.read(file)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("checksum");
    }
}
