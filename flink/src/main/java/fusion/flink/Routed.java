package fusion.flink;

/**
 * What the ordered stage sends the engine stage, keyed by {@link #profile}, in the log's order
 * (docs/SCALE-OUT.md, "The engine keyed by profile").
 *
 * <ul>
 *   <li>{@link #SCORE}: the call logged at {@link #seq} under {@link #profile}. When it merged
 *       {@link #absorbed} into the profile, the absorbed profile's relationship states are moved
 *       first ({@link fusion.store.Pipeline#moveRelationships}, with {@link #reason} at {@link #at}),
 *       and the key waits for them ({@link Handoff}); when it is scored ({@link #body}: the call as
 *       logged), the engine then scores it.
 *   <li>{@link #RELEASE}: {@link #profile} was merged into {@link #survivor} at {@link #seq}: its
 *       relationship states leave this key for the survivor's.
 *   <li>{@link #ERASE}: the person was erased at {@link #seq}: their relationship states go.
 * </ul>
 */
public final class Routed {
    static final byte SCORE = 0;
    static final byte RELEASE = 1;
    static final byte ERASE = 2;

    public byte kind;
    public long seq;
    public String profile;
    /** RELEASE: the profile the states go to. */
    public String survivor;
    /** SCORE: the profile merged into this one by this call, or null. */
    public String absorbed;

    public String reason;
    /** The call's event time (epoch millis): a merge's time. */
    public long at;

    public String messageId;
    /** SCORE: the call as logged ({@code LogCodec}), when the engine scores it; else null. */
    public String body;

    public Routed() {}

    static Routed score(
            long seq, String profile, String absorbed, String reason, long at, String messageId, String body) {
        Routed r = new Routed();
        r.kind = SCORE;
        r.seq = seq;
        r.profile = profile;
        r.absorbed = absorbed;
        r.reason = reason;
        r.at = at;
        r.messageId = messageId;
        r.body = body;
        return r;
    }

    static Routed release(long seq, String absorbed, String survivor) {
        Routed r = new Routed();
        r.kind = RELEASE;
        r.seq = seq;
        r.profile = absorbed;
        r.survivor = survivor;
        return r;
    }

    static Routed erase(long seq, String profile) {
        Routed r = new Routed();
        r.kind = ERASE;
        r.seq = seq;
        r.profile = profile;
        return r;
    }
}
