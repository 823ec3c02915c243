/**
 * A JMH benchmark of the absorbing-chain solver of Markov attribution against commons-math3's LU
 * decomposition (same package as the solver, which is package-private); bench/run-absorption.sh.
 */
package fusion.analytics.attribution;
