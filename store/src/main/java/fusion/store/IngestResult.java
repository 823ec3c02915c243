package fusion.store;

/**
 * What a batch did.
 *
 * @param accepted   calls newly logged
 * @param duplicates calls skipped because their messageId was already logged
 * @param scored     accepted calls that became scored interactions
 * @param unknown    accepted track calls with an event name no mapping knows (kept, counted)
 */
public record IngestResult(int accepted, int duplicates, int scored, int unknown) {
    public static final IngestResult EMPTY = new IngestResult(0, 0, 0, 0);

    public IngestResult plus(IngestResult o) {
        return new IngestResult(
                accepted + o.accepted, duplicates + o.duplicates, scored + o.scored, unknown + o.unknown);
    }
}
