package fusion.models.btyd;

/**
 * A model fitted by maximum likelihood.
 *
 * @param model the estimates
 * @param logLikelihood the maximised log-likelihood of the whole sample
 * @param customers how many customers (or weighted observations) the fit saw
 */
public record Fitted<M>(M model, double logLikelihood, long customers) {}
