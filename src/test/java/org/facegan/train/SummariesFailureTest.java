package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;

/** An event file that cannot be opened closes the summary graph and session, and names the directory. */
class SummariesFailureTest {
    @Test
    void anUnwritableDirectoryClosesTheGraphAndTheNextWriterWorks(@TempDir Path tmp) throws Exception {
        Path blocker = Files.writeString(tmp.resolve("blocker"), "a file where a directory should be");
        Path unwritable = blocker.resolve("events");
        Graph graph = new Graph();
        assertThatThrownBy(() -> new Summaries(graph, unwritable))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot write TensorBoard events to " + unwritable);
        // Graph.close() waits until every session on the graph is closed, so a closed graph means a closed session too
        assertThatThrownBy(() -> graph.operation("summaries/tag")).hasMessageContaining("close() has been called");

        Path dir = tmp.resolve("events");
        try (Summaries next = new Summaries(dir)) {
            next.scalar("loss", 1, 0.5);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).singleElement().asString().startsWith("events.out.tfevents.");
        }
    }
}
