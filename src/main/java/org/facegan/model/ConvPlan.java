package org.facegan.model;

/**
 * Which {@link ConvForm} each stride-2 layer of a graph is built in ({@code --conv}): one form for every layer
 * ({@link #fixed}), or each layer's fastest on this host ({@link ConvTuner}). A form that cannot compute a layer
 * falls back to {@link ConvForm#DIRECT}.
 */
public interface ConvPlan {
    /** Every layer in TensorFlow's own ops: what graphs were built with before plans existed. */
    ConvPlan DIRECT = fixed(ConvForm.DIRECT);

    /**
     * @param batch the layer's batch, -1 where the graph leaves it open
     * @param training whether the layer is trained through (forward and both gradients) or only run forward
     * @return the form to build a layer of {@code shape} in
     */
    ConvForm form(ConvShape shape, int batch, boolean training, Precision precision);

    /** {@code form} wherever it can compute the layer, else the direct op. */
    static ConvPlan fixed(ConvForm form) {
        return new ConvPlan() {
            @Override
            public ConvForm form(ConvShape shape, int batch, boolean training, Precision precision) {
                return form.supports(shape, precision) ? form : ConvForm.DIRECT;
            }

            @Override
            public String toString() {
                return form.toString();
            }
        };
    }
}
