package fusion.server;

import fusion.core.consent.ConsentPolicy;
import fusion.core.engine.ModelConfig;
import fusion.core.model.InvalidInput;
import fusion.server.access.Credentials;
import fusion.server.decisions.NextBestActions;
import fusion.server.http.Admission;
import java.time.Clock;
import java.util.Optional;

/**
 * What a server needs to start, validated here and nowhere else: where it listens, its bootstrap
 * secrets, its clock, the consent policy, the next-best-action settings, the model and the
 * ingest admission limits. The start of issue 13's one configuration: the command line builds one
 * and hands it to {@link FusionServer#start}.
 *
 * @param host        the address to listen on
 * @param port        the port, 0 for a free one
 * @param credentials the bootstrap write key and admin token
 * @param clock       "now" for every service
 * @param consent     consent defaults and maximum ages
 * @param decisions   webhooks, the streaming trigger, own brands, catalogue, contact limits
 * @param model       the engine's parameters (the store is opened with the same)
 * @param admission   ingest places, waits and body deadlines
 * @param trackingPlan the events as interactions, their expected properties, the mode of each source
 * @param currency    the currency of the money the events carry, shown with amounts (default USD)
 */
public record FusionConfig(
        String host,
        int port,
        Credentials credentials,
        Clock clock,
        ConsentPolicy consent,
        NextBestActions.Settings decisions,
        ModelConfig model,
        Admission.Limits admission,
        fusion.core.segment.TrackingPlan trackingPlan,
        java.util.Currency currency) {
    /** The currency when none is configured: the demo's, and the one the docs assume. */
    public static final java.util.Currency DEFAULT_CURRENCY = java.util.Currency.getInstance("USD");

    public FusionConfig {
        if (host == null || host.isBlank()) throw new InvalidInput("host", "must not be empty");
        if (port < 0 || port > 65_535) throw new InvalidInput("port", "expected 0 to 65535 but was " + port);
        require("credentials", credentials);
        require("clock", clock);
        require("consent", consent);
        require("decisions", decisions);
        require("model", model);
        require("admission", admission);
        require("trackingPlan", trackingPlan);
        require("currency", currency);
    }

    /** The essentials with a tracking plan and the default currency. */
    public FusionConfig(
            String host,
            int port,
            Credentials credentials,
            Clock clock,
            ConsentPolicy consent,
            NextBestActions.Settings decisions,
            ModelConfig model,
            Admission.Limits admission,
            fusion.core.segment.TrackingPlan trackingPlan) {
        this(host, port, credentials, clock, consent, decisions, model, admission, trackingPlan, DEFAULT_CURRENCY);
    }

    public FusionConfig withCurrency(java.util.Currency currency) {
        return new FusionConfig(
                host, port, credentials, clock, consent, decisions, model, admission, trackingPlan, currency);
    }

    /** The same essentials with the default tracking plan (the record's previous shape). */
    public FusionConfig(
            String host,
            int port,
            Credentials credentials,
            Clock clock,
            ConsentPolicy consent,
            NextBestActions.Settings decisions,
            ModelConfig model,
            Admission.Limits admission) {
        this(
                host,
                port,
                credentials,
                clock,
                consent,
                decisions,
                model,
                admission,
                fusion.server.plan.PlanFile.standard());
    }

    public FusionConfig withTrackingPlan(fusion.core.segment.TrackingPlan trackingPlan) {
        return new FusionConfig(
                host, port, credentials, clock, consent, decisions, model, admission, trackingPlan, currency);
    }

    /**
     * The defaults around the essentials: the system clock, the standard consent policy, decisions
     * recorded and not delivered for the brand {@link FusionServer#DEFAULT_BRAND}, the default
     * model, the default admission limits.
     */
    public static FusionConfig of(String host, int port, Credentials credentials) {
        return new FusionConfig(
                host,
                port,
                credentials,
                Clock.systemUTC(),
                ConsentPolicy.standard(),
                NextBestActions.Settings.of(Optional.empty(), false, FusionServer.DEFAULT_BRAND),
                ModelConfig.defaults(),
                Admission.Limits.defaults());
    }

    public FusionConfig withClock(Clock clock) {
        return new FusionConfig(
                host, port, credentials, clock, consent, decisions, model, admission, trackingPlan, currency);
    }

    public FusionConfig withConsent(ConsentPolicy consent) {
        return new FusionConfig(
                host, port, credentials, clock, consent, decisions, model, admission, trackingPlan, currency);
    }

    public FusionConfig withDecisions(NextBestActions.Settings decisions) {
        return new FusionConfig(
                host, port, credentials, clock, consent, decisions, model, admission, trackingPlan, currency);
    }

    public FusionConfig withModel(ModelConfig model) {
        return new FusionConfig(
                host, port, credentials, clock, consent, decisions, model, admission, trackingPlan, currency);
    }

    public FusionConfig withAdmission(Admission.Limits admission) {
        return new FusionConfig(
                host, port, credentials, clock, consent, decisions, model, admission, trackingPlan, currency);
    }

    private static void require(String field, Object value) {
        if (value == null) throw new InvalidInput(field, "is required");
    }
}
