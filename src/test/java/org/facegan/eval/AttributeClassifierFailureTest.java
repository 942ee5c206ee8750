package org.facegan.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.facegan.data.FaceDataset;
import org.facegan.io.AtomicFiles;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;

/**
 * A classifier whose training, saving or loading fails closes its graph and session, says what failed, and leaves
 * the next classifier free to be made.
 */
class AttributeClassifierFailureTest {
    static final FaceDataset FACES = Fixtures.noiseFaces(40, 16, 2);
    static final int STEPS = 2;

    /** Every graph a classifier was built into, in order. */
    private final List<Graph> opened = new ArrayList<>();

    private Graph recorded() {
        Graph graph = new Graph();
        opened.add(graph);
        return graph;
    }

    private AttributeClassifier forFaces(FaceDataset faces, Path dir) {
        return AttributeClassifier.forFaces(faces, dir, STEPS, 1, i -> {}, this::recorded);
    }

    /** Graph.close() waits until every session on the graph is closed, so a closed graph means a closed session too. */
    private static void assertClosed(Graph graph) {
        assertThatThrownBy(() -> graph.operation("images")).hasMessageContaining("close() has been called");
    }

    @Test
    void aFaceThatCannotBeReadStopsTrainingAndClosesTheClassifier() {
        FaceDataset unreadable = new FaceDataset() {
            public int size() { return FACES.size(); }
            public int imageSize() { return FACES.imageSize(); }
            public List<String> attributeNames() { return FACES.attributeNames(); }
            public void image(int i, float[] dst, int offset) {
                throw new UncheckedIOException("cannot decode face " + i, new IOException("not a JPEG"));
            }
            public float[] attributes(int i) { return FACES.attributes(i); }
        };
        assertThatThrownBy(() -> forFaces(unreadable, null)).hasMessageStartingWith("cannot decode face");
        assertThat(opened).hasSize(1);
        assertClosed(opened.get(0));

        try (AttributeClassifier next = forFaces(FACES, null)) {
            assertThat(next.info().steps()).isEqualTo(STEPS);
        }
    }

    @Test
    void aDirectoryThatCannotBeWrittenFailsTheSaveAndClosesTheTrainedClassifier(@TempDir Path tmp) throws Exception {
        Path blocker = Files.writeString(tmp.resolve("blocker"), "a file where a directory should be");
        Path unwritable = blocker.resolve("classifier");
        assertThatThrownBy(() -> forFaces(FACES, unwritable))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot save the classifier to " + unwritable);
        assertThat(opened).hasSize(1);
        assertClosed(opened.get(0));

        Path dir = tmp.resolve("classifier");
        try (AttributeClassifier next = forFaces(FACES, dir)) {
            assertThat(AttributeClassifier.exists(dir)).isTrue();
        }
    }

    @Test
    void weightsThatCannotBeRestoredFailTheLoadNamingTheDirectoryAndCloseTheClassifier(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("classifier");
        forFaces(FACES, dir).close();
        try (var files = Files.list(dir)) {
            for (Path data : files.filter(f -> f.getFileName().toString().startsWith("model.data")).toList()) {
                Files.write(data, new byte[] {1, 2, 3}); // a weights file cut short
            }
        }
        assertThatThrownBy(() -> forFaces(FACES, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot restore the classifier in " + dir)
                .hasMessageContaining("delete the directory");
        assertThat(opened).hasSize(2);
        assertClosed(opened.get(1));

        AtomicFiles.deleteTree(dir);
        try (AttributeClassifier next = forFaces(FACES, dir)) {
            assertThat(AttributeClassifier.exists(dir)).isTrue();
        }
    }
}
