package fusion.models.btyd;

/** Eager validation of model parameters, with messages that name the model and the value. */
final class Parameters {
    private Parameters() {}

    /** Pairs of (name, value); every value must be finite and positive. */
    static void requirePositive(String model, Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            double v = (Double) namesAndValues[i + 1];
            if (!(v > 0 && Double.isFinite(v))) {
                throw new IllegalArgumentException(
                        model + ": " + namesAndValues[i] + " must be positive and finite but was " + v);
            }
        }
    }
}
