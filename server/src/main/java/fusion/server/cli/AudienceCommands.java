package fusion.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Audiences of a running server from the command line (docs/AUDIENCES.md). */
final class AudienceCommands {
    private AudienceCommands() {}

    @Command(
            name = "audiences",
            mixinStandardHelpOptions = true,
            description = "Define, check and read audiences on a running server (docs/AUDIENCES.md).",
            subcommands = {
                ListCommand.class,
                Show.class,
                Create.class,
                Validate.class,
                Preview.class,
                Members.class,
                History.class,
                Delete.class,
                Destinations.class,
                AddDestination.class,
                TestDestination.class,
                Export.class,
                RetryDeadLetters.class,
                DeleteDestination.class
            })
    static final class Audiences extends PrivacyCommands.Group {}

    /** A rule given inline (--rule JSON) or in a file (--rule-file FILE). */
    abstract static class WithRule extends PrivacyCommands.ApiCall {
        @Option(names = "--rule", paramLabel = "JSON", description = "the rule as JSON (docs/AUDIENCES.md)")
        String rule;

        @Option(names = "--rule-file", paramLabel = "FILE", description = "read the rule from this file instead")
        Path ruleFile;

        JsonNode rule() throws Exception {
            if ((rule == null) == (ruleFile == null)) {
                throw new ApiOptions.Failed(400, "give the rule with either --rule JSON or --rule-file FILE");
            }
            if (ruleFile != null && !Files.isRegularFile(ruleFile)) {
                throw new ApiOptions.Failed(400, "--rule-file: no such file " + ruleFile);
            }
            String text = ruleFile != null ? Files.readString(ruleFile) : rule;
            try {
                return ApiOptions.JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new ApiOptions.Failed(
                        400,
                        (ruleFile != null ? "--rule-file" : "--rule") + " is not valid JSON: "
                                + e.getOriginalMessage());
            }
        }

        Map<String, Object> body(String id, String name) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            if (id != null) body.put("id", id);
            if (name != null) body.put("name", name);
            body.put("rule", rule());
            return body;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Every defined audience, with its size and last entered/left change.")
    static final class ListCommand extends PrivacyCommands.ApiCall {
        @Override
        JsonNode run() throws Exception {
            return api.call("GET", "/api/audiences/rules", null);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One audience's definition and size.")
    static final class Show extends PrivacyCommands.ApiCall {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        JsonNode run() throws Exception {
            return api.call("GET", "/api/audiences/rules/" + ApiOptions.encode(id), null);
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Define an audience (or replace one of the same id); prints it with its size.")
    static final class Create extends WithRule {
        @Parameters(paramLabel = "ID", description = "1 to 64 of a-z, 0-9, '-' and '_'")
        String id;

        @Option(names = "--name", description = "a readable name (default: the id)")
        String name;

        @Override
        JsonNode run() throws Exception {
            return api.call("POST", "/api/audiences/rules", body(id, name));
        }
    }

    @Command(
            name = "validate",
            mixinStandardHelpOptions = true,
            description = "Check a rule as a save would; a refusal names the JSON path.")
    static final class Validate extends WithRule {
        @Override
        JsonNode run() throws Exception {
            return api.call("POST", "/api/audiences/validate", body(null, null));
        }
    }

    @Command(
            name = "preview",
            mixinStandardHelpOptions = true,
            description = "How many people a rule would select now, with a sample, without saving it.")
    static final class Preview extends WithRule {
        @Override
        JsonNode run() throws Exception {
            return api.call("POST", "/api/audiences/preview", body(null, null));
        }
    }

    @Command(
            name = "members",
            mixinStandardHelpOptions = true,
            description = "An audience's members, a page at a time.")
    static final class Members extends PrivacyCommands.ApiCall {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--offset", defaultValue = "0", description = "skip this many (default ${DEFAULT-VALUE})")
        int offset;

        @Option(
                names = "--limit",
                defaultValue = "100",
                description = "at most this many, up to 1000 (default ${DEFAULT-VALUE})")
        int limit;

        @Override
        JsonNode run() throws Exception {
            return api.call(
                    "GET",
                    "/api/audiences/rules/" + ApiOptions.encode(id) + "/members?offset=" + offset + "&limit=" + limit,
                    null);
        }
    }

    @Command(
            name = "history",
            mixinStandardHelpOptions = true,
            description = "An audience's size over time and its newest entered/left changes.")
    static final class History extends PrivacyCommands.ApiCall {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(
                names = "--changes",
                defaultValue = "100",
                description = "newest changes to show (default ${DEFAULT-VALUE})")
        int changes;

        @Override
        JsonNode run() throws Exception {
            return api.call(
                    "GET", "/api/audiences/rules/" + ApiOptions.encode(id) + "/history?changes=" + changes, null);
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Delete an audience (refused while another audience refers to it).")
    static final class Delete extends PrivacyCommands.ApiCall {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        JsonNode run() throws Exception {
            api.call("DELETE", "/api/audiences/rules/" + ApiOptions.encode(id), null);
            System.out.println("deleted audience " + id);
            return null;
        }
    }

    @Command(
            name = "destinations",
            mixinStandardHelpOptions = true,
            description =
                    "Every destination, or one with its state: delivered, pending, withheld, dead letters, exports.")
    static final class Destinations extends PrivacyCommands.ApiCall {
        @Parameters(paramLabel = "ID", arity = "0..1", description = "a destination (default: list them all)")
        String id;

        @Override
        JsonNode run() throws Exception {
            return api.call(
                    "GET", "/api/audiences/destinations" + (id == null ? "" : "/" + ApiOptions.encode(id)), null);
        }
    }

    @Command(
            name = "add-destination",
            mixinStandardHelpOptions = true,
            description = "Define a destination (webhook, kafka, csv, parquet) from JSON, or replace one of the"
                    + " same id; needs an admin token (docs/AUDIENCES.md).")
    static final class AddDestination extends PrivacyCommands.ApiCall {
        @Option(names = "--json", paramLabel = "JSON", description = "the destination as JSON")
        String json;

        @Option(names = "--file", paramLabel = "FILE", description = "read the destination from this file instead")
        Path file;

        @Override
        JsonNode run() throws Exception {
            if ((json == null) == (file == null)) {
                throw new ApiOptions.Failed(400, "give the destination with either --json JSON or --file FILE");
            }
            if (file != null && !Files.isRegularFile(file)) {
                throw new ApiOptions.Failed(400, "--file: no such file " + file);
            }
            String text = file != null ? Files.readString(file) : json;
            JsonNode body;
            try {
                body = ApiOptions.JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new ApiOptions.Failed(
                        400, (file != null ? "--file" : "--json") + " is not valid JSON: " + e.getOriginalMessage());
            }
            return api.call("POST", "/api/audiences/destinations", body);
        }
    }

    @Command(
            name = "test-destination",
            mixinStandardHelpOptions = true,
            description = "Send a signed test message (webhook), a test record (kafka) or write a probe file.")
    static final class TestDestination extends PrivacyCommands.ApiCall {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        JsonNode run() throws Exception {
            return api.call("POST", "/api/audiences/destinations/" + ApiOptions.encode(id) + "/test", Map.of());
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Export the destination's audience now: its current members with a valid grant"
                    + " (the others counted by reason); prints the report.")
    static final class Export extends PrivacyCommands.ApiCall {
        @Parameters(paramLabel = "DESTINATION")
        String id;

        @Override
        JsonNode run() throws Exception {
            return api.call("POST", "/api/audiences/destinations/" + ApiOptions.encode(id) + "/export", Map.of());
        }
    }

    @Command(
            name = "retry-dead-letters",
            mixinStandardHelpOptions = true,
            description = "Send a destination's dead letters again, under their own idempotency keys.")
    static final class RetryDeadLetters extends PrivacyCommands.ApiCall {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        JsonNode run() throws Exception {
            return api.call(
                    "POST", "/api/audiences/destinations/" + ApiOptions.encode(id) + "/dead-letters/retry", Map.of());
        }
    }

    @Command(
            name = "delete-destination",
            mixinStandardHelpOptions = true,
            description = "Delete a destination and whatever was still to be sent to it.")
    static final class DeleteDestination extends PrivacyCommands.ApiCall {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        JsonNode run() throws Exception {
            api.call("DELETE", "/api/audiences/destinations/" + ApiOptions.encode(id), null);
            System.out.println("deleted destination " + id);
            return null;
        }
    }
}
