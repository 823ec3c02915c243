package fusion.server.audiences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import fusion.core.model.InvalidInput;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON Schema, read by a third-party validator, as a second witness of what the parser accepts. */
@DisplayName("issue 16 audiences: the JSON Schema and the documented examples")
class RuleSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonSchema schema() throws Exception {
        try (InputStream in = RuleSchemaTest.class.getResourceAsStream("/api/audience-rule.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(JSON.readTree(in));
        }
    }

    /** Every rule in a ```json block of docs/AUDIENCES.md (request bodies contribute their "rule"). */
    private static List<JsonNode> documentedRules() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "AUDIENCES.md"));
        List<JsonNode> rules = new ArrayList<>();
        Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        while (m.find()) rules.add(JSON.readTree(m.group(1)));
        Matcher curl = Pattern.compile("-d '(\\{.*?\\})'").matcher(doc);
        while (curl.find()) rules.add(JSON.readTree(curl.group(1)).get("rule"));
        Matcher cli = Pattern.compile("--rule '(\\{.*?\\})'").matcher(doc);
        while (cli.find()) rules.add(JSON.readTree(cli.group(1)));
        return rules;
    }

    @Test
    @DisplayName("every rule the documentation shows is accepted by the server and by the schema")
    void documentedExamples() throws Exception {
        List<JsonNode> rules = documentedRules();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(6);
        JsonSchema schema = schema();
        for (JsonNode rule : rules) {
            assertThat(schema.validate(rule)).as("schema errors for %s", rule).isEmpty();
            assertThat(Rules.parse(rule)).as("parsed %s", rule).isNotNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("rules the server refuses the schema refuses too")
    @ValueSource(
            strings = {
                "{\"fact\":\"events\",\"gte\":\"two\"}",
                "{\"all\":[]}",
                "{\"fact\":\"nope\",\"eq\":1}",
                "{\"fact\":\"events\"}",
                "{\"fact\":\"events\",\"gt\":1,\"lt\":3}",
                "{\"fact\":\"lastEvent\",\"gt\":1}",
                "{\"fact\":\"events\",\"days\":0,\"gt\":1}",
                "{\"fact\":\"events\",\"purpose\":\"shopping\",\"gt\":1}",
                "{\"fact\":\"events\",\"colour\":\"red\",\"gt\":1}",
                "{\"fact\":\"events\",\"in\":[]}",
                "{\"fact\":\"lastEvent\",\"withinDays\":-1}",
                "{\"fact\":\"trait\",\"eq\":1}",
                "{\"fact\":\"experience\",\"gt\":0.5}",
                "{\"fact\":\"consent\",\"purpose\":\"marketing\",\"eq\":true}",
                "{\"fact\":\"churnRisk\",\"gt\":0.5}",
                "{\"fact\":\"stalled\",\"eq\":true}",
                "{\"fact\":\"stalled\",\"days\":0}",
                "{\"fact\":\"leakedTo\",\"gt\":1}",
                "{\"fact\":\"leakedTo\"}",
                "{\"fact\":\"leaked\",\"days\":3}",
                "{\"audience\":\"Bad Id\"}",
                "{\"not\":{\"audience\":\"a\"},\"all\":[]}",
                "[1]",
            })
    void refusedByBoth(String rule) throws Exception {
        JsonNode node = JSON.readTree(rule);
        assertThatThrownBy(() -> Rules.parse(node)).isInstanceOf(InvalidInput.class);
        assertThat(schema().validate(node)).as("the schema refuses it too").isNotEmpty();
    }
}
