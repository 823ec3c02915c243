package fusion.decisions.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.consent.ConsentPurpose;
import fusion.core.model.Channel;
import fusion.decisions.ActionKind;
import fusion.decisions.Decision;
import fusion.decisions.Reason;
import fusion.decisions.ReasonCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WebhookDeliveryTest {
    private final InMemoryDeliveryLog log = new InMemoryDeliveryLog();

    static Decision.Act act(String id, Channel channel) {
        Instant at = Instant.parse("2026-03-10T12:00:00Z");
        return new Decision.Act(
                id,
                "alice",
                "plan-b-replacement",
                ActionKind.PLAN_B,
                channel,
                ConsentPurpose.CONTRACT,
                at,
                at,
                List.of(Reason.of(ReasonCode.ACTION_CHOSEN, "charger broken")));
    }

    private WebhookDelivery delivery(Receiver r, int attempts, Duration timeout, int concurrent) {
        DeliveryConfig config = DeliveryConfig.of(Map.of(Channel.EMAIL, new WebhookEndpoint(r.url(), Receiver.SECRET)))
                .withRetries(attempts, Duration.ofMillis(20), Duration.ofSeconds(2))
                .withRequestTimeout(timeout)
                .withMaxConcurrent(concurrent);
        return WebhookDelivery.builder(config)
                .log(log)
                .random(new Random(42))
                .shutdownGrace(Duration.ofMillis(300))
                .build();
    }

    private static DeliveryResult await(CompletableFuture<DeliveryResult> f) throws Exception {
        return f.get(15, TimeUnit.SECONDS);
    }

    /** Polls {@code condition} every 5 ms until it holds; fails naming {@code what} after 10 s. */
    static void awaitUntil(BooleanSupplier condition, String what) {
        org.awaitility.Awaitility.await(what)
                .atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(5))
                .until(condition::getAsBoolean);
    }

    @Test
    void serverErrorsAreRetriedUntilSuccessWithTheSameKeyBodyAndAValidSignature() throws Exception {
        try (Receiver r = new Receiver(n -> Receiver.Reply.of(n <= 2 ? 500 : 200));
                WebhookDelivery d = delivery(r, 5, Duration.ofSeconds(2), 2)) {
            DeliveryResult result = await(d.send(act("k1", Channel.EMAIL)));
            assertThat(result).isEqualTo(new DeliveryResult.Delivered("k1", 3, 200));
            List<Receiver.Request> seen = r.requestsFor("k1");
            assertThat(seen).extracting(Receiver.Request::attempt).containsExactly(1, 2, 3);
            assertThat(seen).allMatch(Receiver.Request::signatureValid);
            assertThat(seen)
                    .extracting(q -> new String(q.body()))
                    .containsOnly(new String(seen.get(0).body()));
            assertThat(log.attempts("k1"))
                    .extracting(DeliveryLog.Attempt::status)
                    .containsExactly(500, 500, 200);
            assertThat(log.isDelivered("k1")).isTrue();
        }
    }

    @Test
    void tooManyRequestsWithRetryAfterIsHonoured() throws Exception {
        try (Receiver r = new Receiver(
                        n -> n == 1 ? new Receiver.Reply(429, 0, Map.of("Retry-After", "1")) : Receiver.Reply.of(200));
                WebhookDelivery d = delivery(r, 3, Duration.ofSeconds(2), 2)) {
            assertThat(await(d.send(act("k2", Channel.EMAIL)))).isInstanceOf(DeliveryResult.Delivered.class);
            List<Receiver.Request> seen = r.requestsFor("k2");
            long gapMillis = (seen.get(1).receivedNanos() - seen.get(0).receivedNanos()) / 1_000_000;
            assertThat(gapMillis).as("waited as asked, not the 20 ms backoff").isGreaterThanOrEqualTo(950);
        }
    }

    @Test
    void aRetryAfterBeyondTheMaximumDelayEndsInTheDeadLetters() throws Exception {
        try (Receiver r = new Receiver(n -> new Receiver.Reply(503, 0, Map.of("Retry-After", "3600")));
                WebhookDelivery d = delivery(r, 5, Duration.ofSeconds(2), 2)) {
            DeliveryResult result = await(d.send(act("k3", Channel.EMAIL)));
            assertThat(result).isInstanceOf(DeliveryResult.DeadLettered.class);
            assertThat(result.attempts()).isEqualTo(1);
            assertThat(log.deadLetters())
                    .singleElement()
                    .satisfies(l -> assertThat(l.reason()).contains("PT1H"));
        }
    }

    @Test
    void aTimedOutAttemptIsRetried() throws Exception {
        try (Receiver r =
                        new Receiver(n -> n == 1 ? new Receiver.Reply(200, 1_500, Map.of()) : Receiver.Reply.of(200));
                WebhookDelivery d = delivery(r, 3, Duration.ofMillis(300), 2)) {
            DeliveryResult result = await(d.send(act("k4", Channel.EMAIL)));
            assertThat(result).isEqualTo(new DeliveryResult.Delivered("k4", 2, 200));
            assertThat(log.attempts("k4").get(0).error()).contains("timed out");
        }
    }

    @Test
    void anAlwaysFailingReceiverPutsTheDecisionInTheDeadLettersWithItsBody() throws Exception {
        try (Receiver r = new Receiver(n -> Receiver.Reply.of(502));
                WebhookDelivery d = delivery(r, 4, Duration.ofSeconds(2), 2)) {
            Decision.Act act = act("k5", Channel.EMAIL);
            DeliveryResult result = await(d.send(act));
            assertThat(result).isInstanceOf(DeliveryResult.DeadLettered.class);
            DeadLetter letter = log.deadLetters().get(0);
            assertThat(letter.attempts()).isEqualTo(4);
            assertThat(letter.lastStatus()).isEqualTo(502);
            assertThat(letter.body()).isEqualTo(DecisionBody.of(act));
            assertThat(r.requestsFor("k5")).hasSize(4);
        }
    }

    @Test
    void aClientErrorIsNotRetried() throws Exception {
        // a generous attempt timeout: on a loaded machine a 2 s attempt could time out before the 422 came
        // back and be retried as a timeout, which is not what this test is about
        try (Receiver r = new Receiver(n -> Receiver.Reply.of(422));
                WebhookDelivery d = delivery(r, 4, Duration.ofSeconds(30), 2)) {
            assertThat(await(d.send(act("k6", Channel.EMAIL))).attempts()).isEqualTo(1);
            assertThat(r.requestsFor("k6")).hasSize(1);
        }
    }

    @Test
    void aChannelWithoutAWebhookIsDeadLetteredWithoutAnAttempt() throws Exception {
        try (Receiver r = new Receiver(n -> Receiver.Reply.of(200));
                WebhookDelivery d = delivery(r, 4, Duration.ofSeconds(2), 2)) {
            DeliveryResult result = await(d.send(act("k7", Channel.MESSAGING)));
            assertThat(result.attempts()).isZero();
            assertThat(log.deadLetters().get(0).reason()).contains("no webhook configured for channel messaging");
        }
    }

    @Test
    void sendingTheSameDecisionTwiceIsSafeBecauseTheReceiverDedupesByKey() throws Exception {
        try (Receiver r = new Receiver(n -> Receiver.Reply.of(200));
                WebhookDelivery d = delivery(r, 3, Duration.ofSeconds(2), 2)) {
            await(d.send(act("k8", Channel.EMAIL)));
            await(d.send(act("k8", Channel.EMAIL)));
            assertThat(r.requestsFor("k8")).hasSize(2);
            assertThat(r.processed).containsExactly("k8");
            assertThat(r.duplicates.get()).isEqualTo(1);
        }
    }

    @Test
    void aDifferentBodyUnderAKeyAlreadyUsedIsRefused() throws Exception {
        try (Receiver r = new Receiver(n -> Receiver.Reply.of(200));
                WebhookDelivery d = delivery(r, 3, Duration.ofSeconds(2), 2)) {
            await(d.send(act("k9", Channel.EMAIL)));
            Decision.Act changed = new Decision.Act(
                    "k9",
                    "alice",
                    "other-action",
                    ActionKind.DELIGHT,
                    Channel.EMAIL,
                    ConsentPurpose.MARKETING,
                    act("k9", Channel.EMAIL).decidedAt(),
                    act("k9", Channel.EMAIL).sendAt(),
                    List.of(Reason.of(ReasonCode.ACTION_CHOSEN, "changed")));
            assertThatThrownBy(() -> d.send(changed))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("k9");
            assertThat(r.requestsFor("k9")).hasSize(1);
        }
    }

    @Test
    void noMoreThanMaxConcurrentDeliveriesAreInFlight() throws Exception {
        try (Receiver r = new Receiver(n -> new Receiver.Reply(200, 100, Map.of()));
                WebhookDelivery d = delivery(r, 2, Duration.ofSeconds(2), 2)) {
            List<CompletableFuture<DeliveryResult>> all = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                all.add(d.send(act("c" + k, Channel.EMAIL)));
            }
            for (var f : all) {
                assertThat(await(f)).isInstanceOf(DeliveryResult.Delivered.class);
            }
            assertThat(r.maxInFlight.get()).isEqualTo(2);
        }
    }

    @Test
    void closingDeadLettersWhatCouldNotFinishAndReturnsPromptly() throws Exception {
        try (Receiver r = new Receiver(n -> new Receiver.Reply(200, 5_000, Map.of()))) {
            WebhookDelivery d = delivery(r, 2, Duration.ofSeconds(10), 1);
            List<CompletableFuture<DeliveryResult>> all = List.of(
                    d.send(act("s1", Channel.EMAIL)),
                    d.send(act("s2", Channel.EMAIL)),
                    d.send(act("s3", Channel.EMAIL)));
            // close while the first delivery is held by the receiver and the other two queue behind it
            awaitUntil(() -> r.inFlight.get() == 1, "the first delivery to reach the receiver");
            long start = System.nanoTime();
            d.close();
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
            for (var f : all) {
                assertThat(await(f)).isInstanceOf(DeliveryResult.DeadLettered.class);
            }
            assertThat(log.deadLetters()).extracting(DeadLetter::reason).allMatch(s -> s.contains("shut down"));
            assertThatThrownBy(() -> d.send(act("s4", Channel.EMAIL))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aDeadLetterCanBeResentUnderItsOwnKeyOnceTheReceiverRecovers() throws Exception {
        try (Receiver r = new Receiver(n -> Receiver.Reply.of(n <= 2 ? 500 : 200));
                WebhookDelivery d = delivery(r, 2, Duration.ofSeconds(2), 1)) {
            DeliveryResult first = await(d.send(act("k10", Channel.EMAIL)));
            DeadLetter letter = ((DeliveryResult.DeadLettered) first).letter();
            assertThat(await(d.resend(letter))).isInstanceOf(DeliveryResult.Delivered.class);
            assertThat(r.requestsFor("k10"))
                    .extracting(q -> new String(q.body()))
                    .containsOnly(new String(letter.body()));
        }
    }

    @Test
    void consentWithdrawnBetweenAttemptsWithholdsTheRestAndIsNoDeadLetter() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean granted = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (Receiver r = new Receiver(n -> {
                    granted.set(false); // the customer revokes while the first attempt fails
                    return Receiver.Reply.of(500);
                });
                WebhookDelivery d = delivery(r, 4, Duration.ofSeconds(2), 1)) {
            fusion.decisions.ConsentCheck ledger = (p, c, at) -> granted.get()
                    ? fusion.decisions.ConsentVerdict.allow("granted")
                    : fusion.decisions.ConsentVerdict.deny("revoked by the customer");
            DeliveryResult result = await(d.send(act("k11", Channel.EMAIL), ledger));
            assertThat(result).isEqualTo(new DeliveryResult.Withheld("k11", 1, "revoked by the customer"));
            assertThat(r.requestsFor("k11")).hasSize(1);
            assertThat(log.deadLetters()).isEmpty();
        }
    }

    @Test
    void noConsentAtTheMomentOfSendingMeansNoRequestAtAll() throws Exception {
        try (Receiver r = new Receiver(n -> Receiver.Reply.of(200));
                WebhookDelivery d = delivery(r, 3, Duration.ofSeconds(2), 1)) {
            DeliveryResult result = await(d.send(act("k12", Channel.EMAIL), fusion.decisions.ConsentCheck.DENY_ALL));
            assertThat(result).isInstanceOf(DeliveryResult.Withheld.class);
            assertThat(r.requests).isEmpty();
        }
    }

    @Test
    void aWrongSecretIsRefusedByTheReceiverAndNotRetried() throws Exception {
        try (Receiver r = new Receiver(n -> Receiver.Reply.of(200))) {
            DeliveryConfig config = DeliveryConfig.of(
                            Map.of(Channel.EMAIL, new WebhookEndpoint(r.url(), "not_the_receivers_secret")))
                    .withRetries(3, Duration.ofMillis(10), Duration.ofMillis(100));
            try (WebhookDelivery d = WebhookDelivery.builder(config)
                    .log(log)
                    .random(new Random(1))
                    .build()) {
                DeliveryResult result = await(d.send(act("k13", Channel.EMAIL)));
                assertThat(result).isInstanceOf(DeliveryResult.DeadLettered.class);
                assertThat(result.attempts()).isEqualTo(1);
                assertThat(r.requestsFor("k13"))
                        .singleElement()
                        .satisfies(q -> assertThat(q.signatureValid()).isFalse());
            }
        }
    }
}
