package fusion.store;

/**
 * Fusion's storage on one node: an append-only {@link EventLog} plus the state derived from it
 * ({@link ServingReads}, {@link Interactions}) and the records kept beside it (brand actions,
 * {@link #access}, {@link #decisions}). Implementations must acknowledge a batch only once it is
 * durable, apply it all or not at all, and rebuild exactly the same state when the log is
 * replayed from empty.
 *
 * <p>This aggregate is what the single node opens, hands to its composition root and closes.
 * Code that uses part of it depends on the narrowest of these interfaces it needs: the read API on
 * {@link ServingReads}, replay on the {@link EventLog}, journey statistics on {@link Interactions}.
 */
public interface Store extends EventLog, ServingReads, Interactions, BrandActions, AutoCloseable {

    /** Credentials and the audit log. */
    Access access();

    /** Decisions of the next-best-action service and their deliveries. */
    DecisionRecords decisions();

    /** Audience definitions, their membership and history, destinations and the export outbox. */
    AudienceRecords audiences();

    /** Violations of the tracking plan, counted per source, event, kind and field, with samples. */
    PlanViolationRecords planViolations();

    /**
     * The pipeline this store applies the log through (mapping, identity, engine): the one a
     * consumer of the log must use to derive the same state, and to map a logged call the way
     * the store did.
     */
    Pipeline pipeline();

    @Override
    void close();
}
