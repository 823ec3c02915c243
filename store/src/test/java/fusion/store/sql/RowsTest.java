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
        String json = Rows.contributions(List.of(new Contribution("purchase", Target.CONSUMER_GIVES, 0.47, "spent 30"),
                new Contribution("need", Target.NEEDS_MET, 1.0, "need met")));
        assertThat(json).isEqualTo("[{\"rule\":\"purchase\",\"target\":\"consumer_gives\",\"points\":0.47,"
                + "\"detail\":\"spent 30\"},{\"rule\":\"need\",\"target\":\"needs_met\",\"points\":1.0,"
                + "\"detail\":\"need met\"}]");
    }

    @Test
    void aStateSurvivesItsTextFormBitForBit() {
        Relationship r = new Relationship("p", "b", 1_700_000_000_123L, 0.1 + 0.2, 1e-300, Math.PI, 2.0 / 3,
                Double.MIN_VALUE, -7.25, 123456.789, 3.0, 42, 99.99, 1_600_000_000_000L);
        assertThat(Rows.state("p", "b", Rows.state(r))).isEqualTo(r);
    }
}
