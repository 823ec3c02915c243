package fusion.decisions.delivery;

/** How one delivery ended. */
public sealed interface DeliveryResult {
    String idempotencyKey();

    int attempts();

    /** The receiver answered 2xx. */
    record Delivered(String idempotencyKey, int attempts, int status) implements DeliveryResult {}

    /** Not sent (further) because consent no longer held at the moment of sending. */
    record Withheld(String idempotencyKey, int attempts, String reason) implements DeliveryResult {}

    /** Given up; the letter is in the {@link DeliveryLog}. */
    record DeadLettered(DeadLetter letter) implements DeliveryResult {
        @Override
        public String idempotencyKey() {
            return letter.idempotencyKey();
        }

        @Override
        public int attempts() {
            return letter.attempts();
        }
    }
}
