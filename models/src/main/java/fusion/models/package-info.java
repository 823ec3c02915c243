/** Validated statistical models: buy-till-you-die, churn risk, driver analysis, impact of brand actions, influence. */
package fusion.models;
