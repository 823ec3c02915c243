package fusion.server.decisions;

import fusion.core.model.Channel;
import fusion.core.model.Interaction;
import fusion.core.model.InvalidInput;
import fusion.decisions.CustomerContext;
import fusion.decisions.SentAction;
import fusion.server.privacy.ConsentService;
import fusion.store.DecisionRecords;
import fusion.store.DecisionRecords.DecisionRecord;
import fusion.store.Pipeline;
import fusion.store.ProfileView;
import fusion.store.Store;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers a {@link CustomerContext} from the store: the person's interactions from the log (as
 * the pipeline maps them, within {@link #LOOKBACK} before the instant), their time zone
 * ({@code traits.timezone}, UTC when absent or unknown) and stated channels
 * ({@code traits.preferred_channel}: a channel, a comma list or an array), the consent ledger
 * (asked at each use, never cached), and the acts already decided for them (withheld ones were
 * never sent and do not count). Predicted value and probability alive come from the customer-value
 * models given at construction, when their fit has them; absent otherwise, which never blocks.
 */
public final class CustomerContexts {
    static final Duration LOOKBACK = Duration.ofDays(400); // a renewal is read a year back, ± 30 days

    private final Store store;
    private final Pipeline mapping;
    private final ConsentService consent;

    /** Where predicted value and probability alive come from. */
    private final fusion.server.models.CustomerValueService values;

    CustomerContexts(
            Store store,
            Pipeline mapping,
            ConsentService consent,
            fusion.server.models.CustomerValueService values,
            java.util.function.BiPredicate<String, String> audiences) {
        this.store = store;
        this.mapping = mapping;
        this.consent = consent;
        this.values = java.util.Objects.requireNonNull(values, "values");
        this.audiences = java.util.Objects.requireNonNull(audiences, "audiences");
    }

    /** (profile, audience) -> member?: a catalogue action with {@code eligibility.audience} is only for its members. */
    private final java.util.function.BiPredicate<String, String> audiences;

    CustomerContext build(ProfileView p, String brand, Instant at) {
        Instant from = at.minus(LOOKBACK);
        List<Interaction> trajectory = new ArrayList<>();
        store.forEachEventOf(
                p.id(),
                (seq, call) -> mapping.interaction(call, p.id())
                        .filter(i -> !i.time().isBefore(from) && !i.time().isAfter(at))
                        .ifPresent(trajectory::add));
        List<SentAction> sent = new ArrayList<>();
        for (DecisionRecord d : store.decisions().decisionsOf(p.id())) {
            if (d.outcome() == DecisionRecords.Outcome.ACT && d.status() != DecisionRecords.Status.WITHHELD) {
                sent.add(new SentAction(d.action(), Channel.parse("channel", d.channel()), d.sendAt(), d.id()));
            }
        }
        CustomerContext.Builder b = CustomerContext.builder(p.id(), brand)
                .trajectory(trajectory)
                .zone(zone(p.traits()))
                .statedChannels(stated(p.traits()).toArray(Channel[]::new))
                .consent(LedgerConsent.of(consent, p.id()))
                .sent(sent);
        var membership = audiences;
        b.audiences(audience -> membership.test(p.id(), audience));
        // the customer's predicted lifetime value and probability alive at this brand, when its fit has them
        var v = values.value(p.id(), brand);
        if (v.lifetimeValue() != null) b.predictedValue(v.lifetimeValue());
        if (v.probabilityAlive() != null) b.probabilityAlive(v.probabilityAlive());
        return b.build();
    }

    /** {@code traits.timezone}, UTC when absent or unknown. */
    public static ZoneId zone(Map<String, Object> traits) {
        Object z = traits.get("timezone");
        if (z instanceof String s && !s.isBlank()) {
            try {
                return ZoneId.of(s.trim());
            } catch (DateTimeException unknown) {
                return ZoneId.of("UTC");
            }
        }
        return ZoneId.of("UTC");
    }

    /** {@code traits.preferred_channel}: a channel, a comma list or an array; unknown names skipped. */
    public static List<Channel> stated(Map<String, Object> traits) {
        Object v = traits.get("preferred_channel");
        List<String> names = new ArrayList<>();
        if (v instanceof String s) names.addAll(List.of(s.split(",")));
        else if (v instanceof Collection<?> c) c.forEach(x -> names.add(String.valueOf(x)));
        List<Channel> out = new ArrayList<>();
        for (String n : names) {
            channel(n.trim()).filter(c -> !out.contains(c)).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<Channel> channel(String name) {
        try {
            return name.isEmpty() ? Optional.empty() : Optional.of(Channel.parse("preferred_channel", name));
        } catch (InvalidInput notAChannel) {
            return Optional.empty(); // a preference for something we cannot send on says nothing here
        }
    }
}
