package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Contribution;
import fusion.core.engine.Relationship;
import fusion.core.engine.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the store writes must be the same text in every JVM run, or replay could not match it. */
class RowsTest {
    @Test
    void contributionsAreWrittenWithAFixedFieldOrder() {
        String json = Rows.contributions(List.of(
                new Contribution("purchase", Target.CONSUMER_GIVES, 0.47, "spent 30"),
                new Contribution("need", Target.NEEDS_MET, 1.0, "need met")));
        assertThat(json)
                .isEqualTo("[{\"rule\":\"purchase\",\"target\":\"consumer_gives\",\"points\":0.47,"
                        + "\"detail\":\"spent 30\"},{\"rule\":\"need\",\"target\":\"needs_met\",\"points\":1.0,"
                        + "\"detail\":\"need met\"}]");
    }

    @Test
    void streamedContributionsAreTheTextTheTreeWrote() throws Exception {
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 1_000; i++) {
            List<Contribution> cs = new java.util.ArrayList<>();
            for (int k = r.nextInt(5); k > 0; k--) {
                cs.add(new Contribution(
                        "rule-" + r.nextInt(9),
                        Target.values()[r.nextInt(Target.values().length)],
                        r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15),
                        "detail \"" + r.nextInt() + "\u00e9\n"));
            }
            com.fasterxml.jackson.databind.node.ArrayNode a = Rows.JSON.createArrayNode();
            for (Contribution c : cs) {
                a.addObject()
                        .put("rule", c.rule())
                        .put("target", c.target().label())
                        .put("points", c.points())
                        .put("detail", c.detail());
            }
            assertThat(Rows.contributions(cs)).isEqualTo(Rows.JSON.writeValueAsString(a));
            assertThat(Rows.contributions(Rows.contributions(cs))).isEqualTo(cs);
        }
    }

    @Test
    void aStateSurvivesItsTextFormBitForBit() {
        Relationship r = new Relationship(
                "p",
                "b",
                1_700_000_000_123L,
                0.1 + 0.2,
                1e-300,
                Math.PI,
                2.0 / 3,
                Double.MIN_VALUE,
                -7.25,
                123456.789,
                3.0,
                42,
                99.99,
                1_600_000_000_000L);
        assertThat(Rows.state("p", "b", Rows.state(r))).isEqualTo(r);
    }
}
