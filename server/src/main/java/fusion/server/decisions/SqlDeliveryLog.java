package fusion.server.decisions;

import fusion.core.model.Channel;
import fusion.decisions.delivery.DeadLetter;
import fusion.decisions.delivery.DeliveryLog;
import fusion.store.DecisionRecords;
import fusion.store.DecisionRecords.DeliveryRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The delivery log in the store's {@code deliveries} table: the body bound to each idempotency key
 * survives a restart, so a re-sent or re-scheduled decision can never go out with other bytes
 * under its key; dead letters keep their exact body for a re-send.
 */
public final class SqlDeliveryLog implements DeliveryLog {
    private final DecisionRecords records;

    public SqlDeliveryLog(DecisionRecords records) {
        this.records = records;
    }

    @Override
    public Optional<String> bindBody(String key, String bodySha256) {
        return records.bindBody(key, bodySha256);
    }

    @Override
    public void attempt(String key, int attempt, int status, String error, Instant at) {
        records.attempt(key, attempt, status, error, at);
    }

    @Override
    public void delivered(String key, int attempts, Instant at) {
        records.delivered(key, attempts, at);
    }

    @Override
    public void deadLetter(DeadLetter letter) {
        records.deadLetter(
                letter.idempotencyKey(),
                letter.body(),
                letter.attempts(),
                letter.lastStatus(),
                letter.reason(),
                letter.at());
    }

    @Override
    public List<DeadLetter> deadLetters() {
        return records.deliveries(DecisionRecords.DeliveryStatus.DEAD, 10_000).stream()
                .map(SqlDeliveryLog::letter)
                .flatMap(Optional::stream)
                .toList();
    }

    public Optional<DeadLetter> deadLetter(String key) {
        return records.delivery(key)
                .filter(d -> d.status() == DecisionRecords.DeliveryStatus.DEAD)
                .flatMap(SqlDeliveryLog::letter);
    }

    static Optional<DeadLetter> letter(DeliveryRecord d) {
        return d.body()
                .map(body -> new DeadLetter(
                        d.key(),
                        Channel.parse("channel", d.channel()),
                        body,
                        d.attempts(),
                        d.lastStatus(),
                        d.lastError() == null ? "" : d.lastError(),
                        d.updated()));
    }

    @Override
    public List<Attempt> attempts(String key) {
        return records.attempts(key).stream()
                .map(a -> new Attempt(a.key(), a.attempt(), a.status(), a.error(), a.at()))
                .toList();
    }
}
