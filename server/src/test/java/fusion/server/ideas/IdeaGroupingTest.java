package fusion.server.ideas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IdeaGroupingTest {
    private static final String SWEATER = "Please make the one-shoulder sweater in recycled yarn";

    /** Hand-written: the same wish in other words. */
    private static final List<String> PARAPHRASES = List.of(
            "I would love the one shoulder sweater made from recycled yarns",
            "a recycled-yarn version of the one-shoulder sweater, please!",
            "Could the one-shoulder sweaters be knitted with recycled yarn?");

    /** Hand-written: other wishes, some sharing a word or two with the sweater. */
    private static final List<String> UNRELATED = List.of(
            "Open the Hollywood store earlier on Sundays",
            "Add oat milk to the cold brew subscription",
            "Let me pause my membership over the summer",
            "A warmer sweater for winter evenings",
            "Ship orders in recycled packaging");

    @Test
    @DisplayName(
            "issue 15: on a board with other ideas, paraphrases of an idea are grouped with it, each reaching the stated threshold")
    void paraphrasesAreGrouped() {
        try (IdeaGrouping g = new IdeaGrouping()) {
            for (int i = 0; i < UNRELATED.size(); i++) g.add("u" + i, "glitter", UNRELATED.get(i));
            assertThat(g.add("s0", "glitter", SWEATER)).isEmpty();
            for (int i = 0; i < PARAPHRASES.size(); i++) {
                var match = g.add("p" + i, "glitter", PARAPHRASES.get(i));
                assertThat(match).as(PARAPHRASES.get(i)).isPresent();
                assertThat(match.get().id()).as(PARAPHRASES.get(i)).isIn("s0", "p0", "p1");
                assertThat(match.get().similarity()).isGreaterThanOrEqualTo(IdeaGrouping.THRESHOLD);
            }
        }
    }

    @Test
    @DisplayName("issue 15: unrelated ideas start groups of their own, even when they share a word with an earlier one")
    void unrelatedTextsAreNotGrouped() {
        try (IdeaGrouping g = new IdeaGrouping()) {
            g.add("s0", "glitter", SWEATER);
            for (int i = 0; i < UNRELATED.size(); i++) {
                assertThat(g.add("u" + i, "glitter", UNRELATED.get(i)))
                        .as(UNRELATED.get(i))
                        .isEmpty();
            }
        }
    }

    @Test
    @DisplayName(
            "the threshold has room on both sides: each paraphrase alone scores above it, each unrelated text below half of it")
    void theThresholdSeparatesParaphrasesFromUnrelatedTexts() {
        for (String t : PARAPHRASES) {
            try (IdeaGrouping g = new IdeaGrouping()) {
                g.add("s0", "glitter", SWEATER);
                assertThat(g.addAndCompare("p", "glitter", t).orElseThrow().similarity())
                        .as(t)
                        .isGreaterThan(IdeaGrouping.THRESHOLD);
            }
        }
        for (String t : UNRELATED) {
            try (IdeaGrouping g = new IdeaGrouping()) {
                g.add("s0", "glitter", SWEATER);
                assertThat(g.addAndCompare("u", "glitter", t)
                                .map(IdeaGrouping.Match::similarity)
                                .orElse(0.0))
                        .as(t)
                        .isLessThan(IdeaGrouping.THRESHOLD / 2);
            }
        }
    }

    @Test
    @DisplayName("the same words for another brand are another brand's idea")
    void brandsAreKeptApart() {
        try (IdeaGrouping g = new IdeaGrouping()) {
            g.add("s0", "glitter", SWEATER);
            assertThat(g.add("s1", "rivalwear", SWEATER)).isEmpty();
            assertThat(g.add("s2", "glitter", SWEATER))
                    .map(IdeaGrouping.Match::id)
                    .contains("s0");
        }
    }

    @Test
    @DisplayName("the analyzer is Lucene's English one: stop words go, plurals and verb forms meet at a stem")
    void termsComeFromTheEnglishAnalyzer() {
        try (IdeaGrouping g = new IdeaGrouping()) {
            assertThat(g.terms("The sweaters are knitted with recycled yarns"))
                    .containsExactly("sweater", "knit", "recycl", "yarn");
        }
    }
}
