package fusion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.server.FusionServer;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
    @TempDir
    Path dir;

    @Test
    void simulateReplaysTheStoresHistoryAndWritesTheReportWithItsCommand() throws Exception {
        Instant t = Instant.parse("2026-11-24T12:00:00Z");
        try (Store store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            store.ingest(List.of(new SegmentCall(
                    SegmentCall.Type.TRACK,
                    "m1",
                    "bob",
                    null,
                    "Product Used",
                    null,
                    null,
                    null,
                    Map.of("description", "the charger is broken"),
                    Map.of(),
                    Map.of(),
                    t,
                    t)));
        }
        Path out = dir.resolve("reports/sim.md");
        assertThat(Main.run(
                        "simulate",
                        "--data",
                        dir.toString(),
                        "--from",
                        "2026-11-01T00:00:00Z",
                        "--out",
                        out.toString()))
                .isZero();
        String md = Files.readString(out);
        assertThat(md)
                .startsWith("# Decision simulation\n\nProduced by `./fusion simulate --data " + dir)
                .contains("--from 2026-11-01T00:00:00Z")
                .contains("| plan-b-replacement | 1 |");
    }

    private static final Instant T = Instant.parse("2026-10-01T12:00:00Z");
    private static final String CATALOGUE = "{\"actions\":[{\"id\":\"plan-b\",\"type\":\"plan_b\","
            + "\"channels\":[\"email\",\"app\"],\"cooldown\":\"P3D\",\"priority\":100,\"purpose\":\"service\","
            + "\"holdout\":{\"share\":0.3,\"seed\":7}}]}";

    private static SegmentCall track(String id, String user, String event, Instant at, Map<String, Object> props) {
        return new SegmentCall(
                SegmentCall.Type.TRACK, id, user, null, event, null, null, null, props, Map.of(), Map.of(), at, at);
    }

    /** Tallies of the history written: people, and buyers per arm of the catalogue's own draw. */
    record History(int treated, int treatedBought, int heldOut, int heldOutBought) {}

    /**
     * 300 people with a broken charger; those the holdout (0.3, seed 7) would have treated buy
     * within 14 days with p1, the others with p0. With {@code live}, the store also records the
     * decisions as a live server with that holdout would have.
     */
    private History history(double p1, double p0, boolean live) {
        fusion.decisions.Holdout h = new fusion.decisions.Holdout(0.3, 7);
        java.util.Random rnd = new java.util.Random(99);
        int treated = 0, treatedBought = 0, heldOut = 0, heldOutBought = 0;
        List<SegmentCall> calls = new java.util.ArrayList<>();
        try (Store store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            for (int i = 0; i < 300; i++) {
                String user = "u" + i;
                Instant at = T.plusSeconds(60L * i);
                calls.add(track("b" + i, user, "Product Used", at, Map.of("description", "the charger is broken")));
                boolean held = h.holdsOut("plan-b", user);
                if (held) heldOut++;
                else treated++;
                if (rnd.nextDouble() < (held ? p0 : p1)) {
                    if (held) heldOutBought++;
                    else treatedBought++;
                    calls.add(track(
                            "o" + i,
                            user,
                            "Order Completed",
                            at.plus(java.time.Duration.ofDays(1 + rnd.nextInt(12))),
                            Map.of("revenue", 20)));
                }
            }
            store.ingest(calls);
            if (live) {
                for (int i = 0; i < 300; i++) {
                    String user = "u" + i;
                    boolean held = h.holdsOut("plan-b", user);
                    store.decisions()
                            .record(new fusion.store.DecisionRecords.DecisionRecord(
                                    "d" + i,
                                    user,
                                    "own",
                                    T.plusSeconds(60L * i),
                                    "plan-b",
                                    held ? null : "plan_b",
                                    held ? null : "email",
                                    held ? null : "service",
                                    held ? null : T.plusSeconds(60L * i),
                                    held
                                            ? fusion.store.DecisionRecords.Outcome.NOTHING
                                            : fusion.store.DecisionRecords.Outcome.ACT,
                                    held
                                            ? fusion.store.DecisionRecords.Status.NONE
                                            : fusion.store.DecisionRecords.Status.DELIVERED,
                                    "[]"));
                }
            }
        }
        return new History(treated, treatedBought, heldOut, heldOutBought);
    }

    private String simulate(String... extra) throws Exception {
        Path catalogue = dir.resolve("catalogue.json");
        Files.writeString(catalogue, CATALOGUE);
        Path out = dir.resolve("uplift.md");
        List<String> args = new java.util.ArrayList<>(List.of(
                "simulate",
                "--data",
                dir.toString(),
                "--catalogue",
                catalogue.toString(),
                "--to",
                T.plus(java.time.Duration.ofDays(20)).toString(),
                "--out",
                out.toString(),
                "--uplift",
                "plan-b",
                "--outcome",
                "purchase",
                "--days",
                "14"));
        args.addAll(List.of(extra));
        assertThat(Main.run(args.toArray(String[]::new))).isZero();
        return Files.readString(out);
    }

    @Test
    @org.junit.jupiter.api.DisplayName("issue 16 item 3: simulate --uplift on a history where the action was held out"
            + " live reports a real holdout, the arms of the live draw and an interval that covers the true uplift")
    void simulateEstimatesTheUpliftOfARealHoldout() throws Exception {
        History h = history(0.6, 0.2, true);
        String md = simulate();
        assertThat(md)
                .contains("## Uplift of `plan-b` on history")
                .contains("**A real holdout.**")
                .contains("| would have been given it | " + h.treated() + " | ")
                .contains("| held out | " + h.heldOut() + " | ");
        double r1 = (double) h.treatedBought() / h.treated(), r0 = (double) h.heldOutBought() / h.heldOut();
        double se = Math.sqrt(r1 * (1 - r1) / h.treated() + r0 * (1 - r0) / h.heldOut());
        String interval = String.format(
                java.util.Locale.ROOT,
                "uplift %+.1f points (95%% interval %+.1f to %+.1f)",
                100 * (r1 - r0),
                100 * (r1 - r0 - 1.959964 * se),
                100 * (r1 - r0 + 1.959964 * se));
        assertThat(md).contains(interval);
        assertThat(r1 - r0 - 1.959964 * se)
                .as("covers the truth 0.4 and excludes 0")
                .isBetween(0.0, 0.4);
        assertThat(r1 - r0 + 1.959964 * se).isGreaterThan(0.4);
    }

    @Test
    @org.junit.jupiter.api.DisplayName("issue 16 item 3: simulate --uplift on a history without a live holdout labels"
            + " the figure as not a counterfactual, and names a bad option")
    void simulateLabelsAWouldBeDifference() throws Exception {
        history(0.3, 0.3, false);
        String md = simulate("--holdout", "0.3", "--holdout-seed", "7");
        assertThat(md).contains("**Not a counterfactual.**").contains("no decision of `plan-b`");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream was = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("simulate", "--data", dir.toString(), "--uplift", "no-such"))
                    .isEqualTo(2);
            assertThat(Main.run("simulate", "--data", dir.toString(), "--uplift", "plan-b-replacement", "--days", "0"))
                    .isEqualTo(2);
            assertThat(Main.run(
                            "simulate", "--data", dir.toString(), "--uplift", "plan-b-replacement", "--holdout", "0.9"))
                    .isEqualTo(2);
        } finally {
            System.setErr(was);
        }
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("--uplift: no action 'no-such'")
                .contains("--days: expected a whole number of days from 1 to 365")
                .contains("--holdout: expected a share from 0 to 0.5");
    }
}
