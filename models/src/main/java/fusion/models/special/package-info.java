/**
 * Special functions the likelihoods need, evaluated where they are numerically safe: sums of
 * exponentials in log space, and the Gauss hypergeometric function 2F1 by its power series, moved
 * into the series' fast region by a linear transformation when the argument is negative. Log-gamma
 * and log-beta come from commons-math3, which is accurate over the whole positive axis.
 */
package fusion.models.special;
