/**
 * Buy-till-you-die models: each customer buys at some rate while "alive" and may silently leave, so
 * the question "is this customer still with us, and what will they buy?" has a probabilistic answer
 * from three numbers per customer (frequency, recency, age: {@link fusion.models.btyd.Rfm}).
 * Non-contractual continuous time: {@link fusion.models.btyd.BgNbd} (Fader, Hardie & Lee 2005) and
 * {@link fusion.models.btyd.ParetoNbd} (Schmittlein, Morrison & Colombo 1987); spend per
 * transaction: {@link fusion.models.btyd.GammaGamma}; discrete opportunities (donations, yearly
 * renewals): {@link fusion.models.btyd.BgBb} (Fader, Hardie & Shang 2010); contractual retention:
 * {@link fusion.models.btyd.ShiftedBetaGeometric} (Fader & Hardie 2007). Each is an immutable
 * record of its parameters with a static {@code fit} (maximum likelihood, on log-parameters, from
 * several starts) and the paper's predictive expressions. {@link fusion.models.btyd.CustomerBase}
 * is the entry point from a purchase log: it summarises, fits a transaction model with gamma-gamma,
 * and hands out a {@link fusion.models.btyd.Valuation} that gives each customer's probability
 * alive, expected purchases and lifetime value. Every fit is checked against the paper's published
 * estimates on the paper's own data.
 */
package fusion.models.btyd;
