package org.facegan.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/** One session run whose fetched values are read back by the operand that was fetched, not by position. */
final class Fetches implements AutoCloseable {
    private final Session.Runner runner;
    private final List<Operand<?>> fetched = new ArrayList<>();
    private Result result;

    Fetches(Session.Runner runner) {
        this.runner = runner;
    }

    Fetches fetch(Operand<?> operand) {
        runner.fetch(operand);
        fetched.add(operand);
        return this;
    }

    Fetches target(Op op) {
        runner.addTarget(op);
        return this;
    }

    Fetches run() {
        result = runner.run();
        return this;
    }

    /** The scalar float32 value {@code operand} had in this run. */
    double scalar(Operand<?> operand) {
        int i = fetched.indexOf(operand);
        if (i < 0) throw new IllegalStateException(operand.op().name() + " was not fetched in this run");
        if (result == null) throw new IllegalStateException("the run has not run yet");
        return ((TFloat32) result.get(i)).getFloat();
    }

    @Override
    public void close() {
        if (result != null) result.close();
    }
}
