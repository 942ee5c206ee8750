package org.facegan.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.facegan.testing.Fixtures;
import org.facegan.train.Checkpoints;
import org.facegan.train.RunDirectory;
import org.facegan.train.Trainer;
import org.facegan.train.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;

/** An inference graph that cannot be built or restored closes its graph and session and names what did not fit. */
class InferenceGraphFailureTest {
    static final int Y = 3;

    @TempDir
    static Path tmp;
    static String checkpoint;

    @BeforeAll
    static void train() {
        Checkpoints.Checkpoint last = new Trainer(Fixtures.options("noise", Fixtures.TINY, 2, 1),
                Fixtures.noiseFaces(16, 32, Y), new RunDirectory(tmp.resolve("run")), (i, g, s, f) -> {})
                .train(TrainingListener.NONE);
        checkpoint = last.prefix();
    }

    /** Graph.close() waits until every session on the graph is closed, so a closed graph means a closed session too. */
    private static void assertClosed(Graph graph) {
        assertThatThrownBy(() -> graph.operation("z")).hasMessageContaining("close() has been called");
    }

    /** The next graph, built right after a failure, restores and generates. */
    private static void assertTheNextOneWorks() {
        try (InferenceGraph next = InferenceGraph.restore(Fixtures.TINY, Y, false, checkpoint, 1)) {
            int pixels = 32 * 32 * 3;
            assertThat(next.generate(new float[Fixtures.TINY.zDim()], new float[Y], 1)).hasSize(pixels);
        }
    }

    @Test
    void aNetworkThatCannotBeBuiltClosesTheGraph() {
        Graph graph = new Graph();
        // a negative attribute count reaches TensorFlow as a negative variable shape, rejected while building
        assertThatThrownBy(() -> InferenceGraph.restore(graph, Fixtures.TINY, -1, false, checkpoint, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot build the inference graph of model tiny with -1 attributes");
        assertClosed(graph);
        assertTheNextOneWorks();
    }

    @Test
    void aCheckpointThatDoesNotFitClosesTheGraphAndSession() {
        Graph graph = new Graph();
        assertThatThrownBy(() -> InferenceGraph.restore(graph, Fixtures.TINY, Y + 1, false, checkpoint, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("checkpoint " + checkpoint + " does not fit model tiny with " + (Y + 1) + " attributes");
        assertClosed(graph);
        assertTheNextOneWorks();
    }
}
