package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.facegan.model.Sessions;
import org.facegan.model.Tensors;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * A run written by an earlier release resumes: the training graph built today from its config.json has exactly
 * the checkpoint's variables (names as real TensorFlow lists them), and restoring sets each to the stored value.
 * The fixture is a {@code --threads 1} run of the TINY model, 30 steps, written by commit ead93c0, before the
 * training graph was split by concern.
 */
class CheckpointCompatibilityTest {
    static final Path RELEASE = Path.of("src/test/resources/checkpoints/release-ead93c0");

    @Test
    void aCheckpointOfTheEarlierReleaseRestoresEveryVariable(@TempDir Path tmp) throws IOException {
        Files.copy(RELEASE.resolve("config.json"), tmp.resolve("config.json"));
        RunDirectory.RunRecord record = new RunDirectory(tmp).read();
        String prefix = RELEASE.resolve("model").toString();
        List<String> stored = Files.readAllLines(RELEASE.resolve("variables.txt")).stream()
                .filter(l -> !l.startsWith("#")).map(l -> l.split(" ")[0]).sorted().toList();
        assertThat(stored).hasSizeGreaterThan(100).contains("G_project_w", "Gavg_up1_bn_var", "D_hidden_w-m", "beta2_power_2");
        try (Graph graph = new Graph()) {
            new TrainingGraph(graph, record.options(), record.attributes().size());
            try (Session session = Sessions.open(graph, 1)) {
                session.restore(prefix);
                Map<String, float[]> restored = new TreeMap<>(Fixtures.allVariables(session));
                assertThat(restored.keySet()).as("the graph's variables").containsExactlyElementsOf(stored);
                Map<String, float[]> inFile = readDirectly(prefix, stored);
                Fixtures.assertSameValues(inFile, restored);
                assertThat(Fixtures.meanAbsoluteDifference(inFile, initial(record))).as("trained, not initial").isPositive();
            }
        }
    }

    /** The stored tensors, read by TensorFlow's RestoreV2 op into a graph of their own. */
    private static Map<String, float[]> readDirectly(String prefix, List<String> names) {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            List<Class<? extends TType>> types = new ArrayList<>();
            names.forEach(n -> types.add(TFloat32.class));
            var read = tf.train.restore(tf.constant(prefix), tf.constant(NdArrays.vectorOfObjects(names.toArray(String[]::new))),
                    tf.constant(NdArrays.vectorOfObjects(names.stream().map(n -> "").toArray(String[]::new))), types);
            var runner = session.runner();
            read.tensors().forEach(runner::fetch);
            Map<String, float[]> out = new TreeMap<>();
            try (Result r = runner.run()) {
                for (int i = 0; i < names.size(); i++) out.put(names.get(i), Tensors.read((TFloat32) r.get(i)));
            }
            return out;
        }
    }

    /** The same graph's variables before any training. */
    private static Map<String, float[]> initial(RunDirectory.RunRecord record) {
        try (Graph graph = new Graph()) {
            new TrainingGraph(graph, record.options(), record.attributes().size());
            try (Session session = Sessions.open(graph, 1)) {
                return new TreeMap<>(Fixtures.allVariables(session));
            }
        }
    }
}
