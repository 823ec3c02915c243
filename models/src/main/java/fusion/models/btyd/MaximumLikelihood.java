package fusion.models.btyd;

import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximum likelihood over strictly positive parameters.
 *
 * <p>The search runs on {@code ln θ}, which removes the positivity constraints and evens out the
 * scales (a shape near 0.2 next to a scale near 10). Nelder-Mead needs no gradients, and the
 * likelihoods here have four parameters at most, so it is both simple and fast enough. Nelder-Mead
 * can stall on a collapsed simplex, so each start is followed by restarts from its optimum with a
 * fresh simplex until a restart no longer improves the log-likelihood; the best of all starts wins.
 * Points where the likelihood is not finite (parameters so extreme that a term overflows) score
 * as very poor rather than stopping the search.
 */
final class MaximumLikelihood {
    private static final double WORST = -1e300;
    private static final int MAX_RESTARTS = 8;
    private static final int MAX_EVALUATIONS = 50_000;

    private MaximumLikelihood() {}

    /** The maximiser and its log-likelihood. */
    record Optimum(double[] parameters, double logLikelihood) {}

    static Optimum maximise(ToDoubleFunction<double[]> logLikelihood, double[]... starts) {
        ObjectiveFunction objective = new ObjectiveFunction(logTheta -> {
            double[] theta = new double[logTheta.length];
            for (int i = 0; i < theta.length; i++) {
                theta[i] = Math.exp(logTheta[i]);
                if (!(theta[i] > 0 && Double.isFinite(theta[i]))) {
                    return WORST;
                }
            }
            double ll = logLikelihood.applyAsDouble(theta);
            return Double.isFinite(ll) ? ll : WORST;
        });
        PointValuePair best = null;
        for (double[] start : starts) {
            double[] point = new double[start.length];
            for (int i = 0; i < point.length; i++) {
                point[i] = Math.log(start[i]);
            }
            PointValuePair here = run(objective, point);
            for (int restart = 0; restart < MAX_RESTARTS; restart++) {
                PointValuePair again = run(objective, here.getPoint());
                boolean improved = again.getValue() > here.getValue() + 1e-9;
                if (again.getValue() > here.getValue()) {
                    here = again;
                }
                if (!improved) {
                    break;
                }
            }
            if (best == null || here.getValue() > best.getValue()) {
                best = here;
            }
        }
        double[] theta = best.getPoint().clone();
        for (int i = 0; i < theta.length; i++) {
            theta[i] = Math.exp(theta[i]);
        }
        return new Optimum(theta, best.getValue());
    }

    /**
     * One Nelder-Mead run. When the likelihood keeps rising towards a boundary (a parameter running
     * off to 0 or infinity on a flat ridge) the simplex never converges; the run then ends at its
     * evaluation budget with the best point it saw, so the caller can see where it was heading
     * ({@link Identification} refuses such fits) instead of getting no answer at all.
     */
    private static PointValuePair run(ObjectiveFunction objective, double[] logStart) {
        SimplexOptimizer optimizer = new SimplexOptimizer(1e-13, 1e-11);
        double[][] bestPoint = {logStart.clone()};
        double[] bestValue = {Double.NEGATIVE_INFINITY};
        ObjectiveFunction watched = new ObjectiveFunction(point -> {
            double v = objective.getObjectiveFunction().value(point);
            if (v > bestValue[0]) {
                bestValue[0] = v;
                bestPoint[0] = point.clone();
            }
            return v;
        });
        try {
            return optimizer.optimize(
                    watched,
                    GoalType.MAXIMIZE,
                    new InitialGuess(logStart),
                    new NelderMeadSimplex(logStart.length, 0.5),
                    new MaxEval(MAX_EVALUATIONS));
        } catch (TooManyEvaluationsException ranOff) {
            return new PointValuePair(bestPoint[0], bestValue[0]);
        }
    }
}
