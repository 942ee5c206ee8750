package org.facegan.train;

/**
 * Training stopped because a loss stopped being a number: nothing after the last good checkpoint is saved, so a
 * resume (after lowering --lr, say) starts from there.
 */
public final class DivergedException extends IllegalStateException {
    public DivergedException(String message) {
        super(message);
    }
}
