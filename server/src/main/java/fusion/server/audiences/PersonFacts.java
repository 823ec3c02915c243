package fusion.server.audiences;

import fusion.core.consent.ConsentPurpose;
import fusion.server.models.ChurnService;
import fusion.server.models.CustomerValueService;
import fusion.server.privacy.ConsentService;
import fusion.store.ProfileView;
import fusion.store.RelationshipView;
import fusion.store.Store;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/** One person's facts at one instant, each read from the store or a service the first time a rule asks. */
final class PersonFacts implements Facts {
    private final String profile;
    private final Instant now;
    private final EventHistory history;
    private final Sources sources;
    private final Predicate<String> member;
    private ProfileView view;
    private boolean viewLoaded;
    private Map<String, RelationshipView> relationships;
    private CustomerValueService.ProfileValue value;

    /** Where the facts that are not events come from; any may be null (the fact is then missing). */
    record Sources(Store store, ConsentService consent, CustomerValueService values, ChurnService churn) {}

    PersonFacts(String profile, Instant now, EventHistory history, Sources sources, Predicate<String> member) {
        this.profile = profile;
        this.now = now;
        this.history = history;
        this.sources = sources;
        this.member = member;
    }

    @Override
    public String profile() {
        return profile;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public EventHistory history() {
        return history;
    }

    @Override
    public Object trait(String name) {
        if (!viewLoaded) {
            view = sources.store() == null
                    ? null
                    : sources.store().profile(profile).orElse(null);
            viewLoaded = true;
        }
        return view == null ? null : view.traits().get(name);
    }

    @Override
    public RelationshipView relationship(String brand) {
        if (relationships == null) {
            relationships = new HashMap<>();
            if (sources.store() != null) {
                for (RelationshipView r : sources.store().relationships(profile, now, 0))
                    relationships.put(r.brand(), r);
            }
        }
        return relationships.get(brand);
    }

    @Override
    public Double probabilityAlive() {
        CustomerValueService.ProfileValue v = value();
        return v == null ? null : v.probabilityAlive();
    }

    @Override
    public Double lifetimeValue() {
        CustomerValueService.ProfileValue v = value();
        return v == null ? null : v.lifetimeValue();
    }

    private CustomerValueService.ProfileValue value() {
        if (value == null && sources.values() != null) value = sources.values().value(profile);
        return value;
    }

    @Override
    public Double churnRisk(String brand) {
        return sources.churn() == null
                ? null
                : sources.churn().risk(profile, brand).risk();
    }

    @Override
    public boolean consent(ConsentPurpose purpose, String channel) {
        return sources.consent() != null
                && sources.consent().check(profile, purpose, channel, now).allowed();
    }

    @Override
    public boolean member(String audience) {
        return member.test(audience);
    }
}
