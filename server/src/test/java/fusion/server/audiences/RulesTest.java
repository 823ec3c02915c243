package fusion.server.audiences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.consent.ConsentPurpose;
import fusion.core.model.Brand;
import fusion.core.model.Channel;
import fusion.core.model.ContactPoint;
import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.InvalidInput;
import fusion.core.model.Outcome;
import fusion.core.model.Purpose;
import fusion.store.RelationshipView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("issue 16 audiences: the rule language")
class RulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");

    /** A person with two purchases (5 and 40 days ago), a research visit 2 days ago, traits and scores. */
    private static final class Person implements Facts {
        final List<Interaction> events = new ArrayList<>();
        Map<String, Object> traits = Map.of("plan", "gold", "age", 42, "vip", true);
        Set<String> audiences = Set.of("newsletter");

        Person() {
            events.add(event("e1", Purpose.PURCHASE, 40));
            events.add(event("e2", Purpose.PURCHASE, 5));
            events.add(event("e3", Purpose.RESEARCH, 2));
        }

        public String profile() {
            return "p";
        }

        public Instant now() {
            return NOW;
        }

        public EventHistory history() {
            return EventHistory.of(events);
        }

        public Object trait(String name) {
            return traits.get(name);
        }

        public RelationshipView relationship(String brand) {
            return brand.equals("own")
                    ? new RelationshipView(
                            "p", "own", false, NOW, 0.6, 0.3, 0.2, 0.4, 0, 3, 50, NOW, NOW, false, List.of())
                    : null;
        }

        public Double probabilityAlive() {
            return 0.75;
        }

        public Double lifetimeValue() {
            return null;
        }

        public Double churnRisk(String brand) {
            return brand.equals("own") ? 0.8 : null;
        }

        public boolean consent(ConsentPurpose purpose, String channel) {
            return purpose == ConsentPurpose.MARKETING && (channel == null || channel.equals("email"));
        }

        public boolean member(String audience) {
            return audiences.contains(audience);
        }
    }

    private static Interaction event(String id, Purpose purpose, int daysAgo) {
        return new Interaction(
                id,
                "p",
                new Brand("own", false),
                ContactPoint.of(Channel.WEB),
                purpose,
                Initiator.CONSUMER,
                NOW.minus(Duration.ofDays(daysAgo)),
                Outcome.NEUTRAL,
                List.of(),
                "");
    }

    private static boolean holds(String rule) throws Exception {
        return Rules.parse(JSON.readTree(rule)).test(new Person());
    }

    @ParameterizedTest(name = "{0} is {1}")
    @DisplayName("every operator, combinator and fact evaluates as worked out by hand for the sample person")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"fact\":\"events\",\"eq\":3}|true",
                "{\"fact\":\"events\",\"purpose\":\"purchase\",\"gte\":2}|true",
                "{\"fact\":\"events\",\"purpose\":\"purchase\",\"days\":30,\"gte\":2}|false",
                "{\"fact\":\"events\",\"purpose\":\"purchase\",\"days\":30,\"eq\":1}|true",
                "{\"fact\":\"events\",\"purpose\":\"purchase\",\"gt\":2}|false",
                "{\"fact\":\"events\",\"lt\":4}|true",
                "{\"fact\":\"events\",\"lte\":2}|false",
                "{\"fact\":\"events\",\"ne\":3}|false",
                "{\"fact\":\"events\",\"between\":[3,5]}|true",
                "{\"fact\":\"events\",\"between\":[4,5]}|false",
                "{\"fact\":\"events\",\"in\":[1,3]}|true",
                "{\"fact\":\"events\",\"channel\":\"email\",\"eq\":0}|true",
                "{\"fact\":\"events\",\"brand\":\"rival\",\"eq\":0}|true",
                "{\"fact\":\"lastEvent\",\"purpose\":\"purchase\",\"withinDays\":7}|true",
                "{\"fact\":\"lastEvent\",\"purpose\":\"purchase\",\"withinDays\":4.5}|false",
                "{\"fact\":\"lastEvent\",\"purpose\":\"complaint\",\"exists\":false}|true",
                "{\"fact\":\"lastPurpose\",\"eq\":\"research\"}|true",
                "{\"fact\":\"lastPurpose\",\"in\":[\"purchase\",\"service\"]}|false",
                "{\"fact\":\"lastPurpose\",\"purpose\":\"purchase\",\"eq\":\"purchase\"}|true",
                "{\"fact\":\"trait\",\"name\":\"plan\",\"eq\":\"gold\"}|true",
                "{\"fact\":\"trait\",\"name\":\"age\",\"between\":[40,50]}|true",
                "{\"fact\":\"trait\",\"name\":\"age\",\"eq\":42}|true",
                "{\"fact\":\"trait\",\"name\":\"vip\",\"eq\":true}|true",
                "{\"fact\":\"trait\",\"name\":\"plan\",\"gt\":1}|false",
                "{\"fact\":\"trait\",\"name\":\"email\",\"exists\":true}|false",
                "{\"fact\":\"trait\",\"name\":\"email\",\"ne\":\"x\"}|false",
                "{\"fact\":\"experience\",\"brand\":\"own\",\"gte\":0.6}|true",
                "{\"fact\":\"fusion\",\"brand\":\"own\",\"lt\":0.3}|false",
                "{\"fact\":\"brandSide\",\"brand\":\"own\",\"eq\":0.2}|true",
                "{\"fact\":\"consumerSide\",\"brand\":\"own\",\"gt\":0.3}|true",
                "{\"fact\":\"experience\",\"brand\":\"rival\",\"exists\":false}|true",
                "{\"fact\":\"probabilityAlive\",\"gte\":0.7}|true",
                "{\"fact\":\"lifetimeValue\",\"gte\":0}|false",
                "{\"fact\":\"lifetimeValue\",\"exists\":false}|true",
                "{\"fact\":\"churnRisk\",\"brand\":\"own\",\"gt\":0.5}|true",
                "{\"fact\":\"churnRisk\",\"brand\":\"own\",\"between\":[0,0.5]}|false",
                "{\"fact\":\"churnRisk\",\"brand\":\"rival\",\"exists\":false}|true",
                // the latest step at "own" is the research 2 days ago: idle 2 days, not a purchase
                "{\"fact\":\"stalled\"}|false",
                "{\"fact\":\"stalled\",\"days\":1}|true",
                "{\"fact\":\"stalled\",\"brand\":\"own\",\"days\":2}|false",
                "{\"fact\":\"stalled\",\"brand\":\"rival\",\"days\":1}|false",
                // the latest purchase (5 days ago) was at our own brand: nothing leaked
                "{\"fact\":\"leaked\"}|false",
                "{\"fact\":\"leakedTo\",\"exists\":false}|true",
                "{\"fact\":\"consent\",\"purpose\":\"marketing\",\"channel\":\"email\"}|true",
                "{\"fact\":\"consent\",\"purpose\":\"marketing\",\"channel\":\"sms\"}|false",
                "{\"fact\":\"consent\",\"purpose\":\"analytics\"}|false",
                "{\"audience\":\"newsletter\"}|true",
                "{\"audience\":\"vip\"}|false",
                "{\"not\":{\"audience\":\"vip\"}}|true",
                "{\"all\":[{\"audience\":\"newsletter\"},{\"fact\":\"events\",\"eq\":3}]}|true",
                "{\"all\":[{\"audience\":\"newsletter\"},{\"fact\":\"events\",\"eq\":2}]}|false",
                "{\"any\":[{\"audience\":\"vip\"},{\"fact\":\"events\",\"eq\":3}]}|true",
                "{\"any\":[{\"audience\":\"vip\"},{\"fact\":\"events\",\"eq\":2}]}|false",
            })
    void everyOperator(String rule, boolean expected) throws Exception {
        assertThat(holds(rule)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is refused at {1}")
    @DisplayName("a refusal names the JSON path of the bad value and what would be accepted")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"all\":[{\"audience\":\"a\"},{\"audience\":\"b\"},{\"fact\":\"events\",\"gte\":\"two\"}]}|$.all[2].gte|expected a number",
                "{\"all\":[]}|$.all|non-empty array",
                "{\"any\":[{\"fact\":\"nope\",\"eq\":1}]}|$.any[0].fact|expected one of [trait, events",
                "{\"fact\":\"events\"}|$|needs one operator of",
                "{\"fact\":\"events\",\"gt\":1,\"lt\":3}|$.lt|one operator",
                "{\"fact\":\"lastEvent\",\"gt\":1}|$.gt|operator 'gt' does not apply to lastEvent",
                "{\"fact\":\"events\",\"days\":0,\"gt\":1}|$.days|from 1 to 3650",
                "{\"fact\":\"events\",\"purpose\":\"shopping\",\"gt\":1}|$.purpose|",
                "{\"fact\":\"events\",\"colour\":\"red\",\"gt\":1}|$.colour|unknown key 'colour'",
                "{\"fact\":\"events\",\"between\":[5,1]}|$.between|low <= high",
                "{\"fact\":\"events\",\"in\":[]}|$.in|array of 1 to 1000",
                "{\"fact\":\"lastEvent\",\"withinDays\":-1}|$.withinDays|above 0",
                "{\"fact\":\"trait\",\"eq\":1}|$.name|is required",
                "{\"fact\":\"trait\",\"name\":\"x\",\"exists\":\"yes\"}|$.exists|true or false",
                "{\"fact\":\"experience\",\"gt\":0.5}|$.brand|is required",
                "{\"fact\":\"consent\",\"purpose\":\"spying\"}|$.purpose|",
                "{\"fact\":\"consent\",\"purpose\":\"marketing\",\"eq\":true}|$.eq|takes no operator",
                "{\"fact\":\"churnRisk\",\"gt\":0.5}|$.brand|is required",
                "{\"fact\":\"churnRisk\",\"brand\":\"own\",\"withinDays\":3}|$.withinDays|does not apply",
                "{\"fact\":\"stalled\",\"eq\":true}|$.eq|takes no operator",
                "{\"fact\":\"stalled\",\"days\":0}|$.days|from 1 to 3650",
                "{\"fact\":\"stalled\",\"days\":1.5}|$.days|whole number",
                "{\"fact\":\"stalled\",\"purpose\":\"research\"}|$.purpose|unknown key",
                "{\"fact\":\"leakedTo\",\"gt\":1}|$.gt|does not apply",
                "{\"fact\":\"leakedTo\",\"eq\":7}|$.eq|expected a string",
                "{\"fact\":\"leakedTo\"}|$|needs one operator",
                "{\"fact\":\"leaked\",\"brand\":\"\"}|$.brand|non-empty string",
                "{\"fact\":\"leaked\",\"days\":3}|$.days|unknown key",
                "{\"fact\":\"lastPurpose\",\"eq\":\"shopping\"}|$.eq|",
                "{\"audience\":\"Bad Id\"}|$.audience|expected an audience id",
                "{\"not\":{\"audience\":\"a\"},\"all\":[]}|$|exactly one of",
                "{\"not\":[1]}|$.not|expected an object",
                "[1]|$|expected an object",
            })
    void refusals(String rule, String path, String problem) throws Exception {
        assertThatThrownBy(() -> Rules.parse(JSON.readTree(rule))).isInstanceOfSatisfying(InvalidInput.class, e -> {
            assertThat(e.field()).isEqualTo(path);
            assertThat(e.problem()).contains(problem == null ? "" : problem);
        });
    }

    @Test
    @DisplayName("a rule nested deeper than the bound is refused, naming where")
    void depthBound() throws Exception {
        String rule = "{\"audience\":\"a\"}";
        for (int i = 0; i < Rules.MAX_DEPTH; i++) rule = "{\"not\":" + rule + "}";
        String deep = rule;
        assertThatThrownBy(() -> Rules.parse(JSON.readTree(deep)))
                .isInstanceOfSatisfying(
                        InvalidInput.class, e -> assertThat(e.field()).isEqualTo("$" + ".not".repeat(Rules.MAX_DEPTH)));
    }

    @Test
    @DisplayName(
            "windows, scores, predictions, consent and traits make a rule time-based; counts over all time and audiences alone do not")
    void timeBased() throws Exception {
        assertThat(Rules.parse(JSON.readTree("{\"fact\":\"events\",\"gte\":1}")).timeBased())
                .isFalse();
        assertThat(Rules.parse(JSON.readTree("{\"not\":{\"audience\":\"a\"}}")).timeBased())
                .isFalse();
        assertThat(Rules.parse(JSON.readTree("{\"fact\":\"events\",\"days\":30,\"gte\":1}"))
                        .timeBased())
                .isTrue();
        assertThat(Rules.parse(JSON.readTree(
                                "{\"any\":[{\"audience\":\"a\"},{\"fact\":\"lastEvent\",\"withinDays\":3}]}"))
                        .timeBased())
                .isTrue();
        assertThat(Rules.parse(JSON.readTree("{\"fact\":\"trait\",\"name\":\"x\",\"exists\":true}"))
                        .timeBased())
                .isTrue();
    }
}
