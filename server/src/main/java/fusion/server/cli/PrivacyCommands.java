package fusion.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Consent, privacy rights and access control from the command line. Each command calls a running
 * server's API (docs/CONSENT.md), so the same checks, logging and audit apply as over HTTP.
 */
final class PrivacyCommands {
    private PrivacyCommands() {}

    /** Runs one API call; 0 on success, 2 when the server refused it (message printed), 3 when unreachable. */
    abstract static class ApiCall implements Callable<Integer> {
        @Mixin
        ApiOptions api = new ApiOptions();

        abstract JsonNode run() throws Exception;

        @Override
        public Integer call() throws Exception {
            try {
                JsonNode out = run();
                if (out != null && !out.isNull()) ApiOptions.print(out);
                return 0;
            } catch (ApiOptions.Failed e) {
                System.err.println("fusion: " + e.getMessage());
                return e.status == 0 ? 3 : 2;
            }
        }
    }

    /** A command that only groups subcommands: run alone, it prints its usage. */
    abstract static class Group implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }
    }

    @Command(
            name = "consent",
            mixinStandardHelpOptions = true,
            description = "Read and record a person's consent (purposes: analytics, personalisation, marketing, "
                    + "sharing, contract).",
            subcommands = {Show.class, Grant.class, Revoke.class, Expiring.class})
    static final class Consent extends Group {}

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "What each purpose is allowed as of now (or --at), and the ledger's history.")
    static final class Show extends ApiCall {
        @Parameters(paramLabel = "PROFILE", description = "profile id, user id or anonymous id")
        String profile;

        @Option(
                names = "--at",
                paramLabel = "INSTANT",
                description = "as it stood at this instant, e.g. 2026-11-01T00:00:00Z")
        String at;

        @Override
        JsonNode run() throws Exception {
            return api.call(
                    "GET",
                    "/api/profiles/" + ApiOptions.encode(profile) + "/consents"
                            + (at == null ? "" : "?at=" + ApiOptions.encode(at)),
                    null);
        }
    }

    abstract static class Change extends ApiCall {
        @Parameters(paramLabel = "PROFILE", description = "profile id, user id or anonymous id")
        String profile;

        @Option(
                names = "--purpose",
                required = true,
                description = "analytics, personalisation, marketing, sharing or contract")
        String purpose;

        @Option(names = "--channel", description = "only this channel (email, sms, push...); default every channel")
        String channel;

        @Option(names = "--source", description = "where the consent was given (default: the API caller)")
        String source;

        abstract boolean granted();

        Map<String, Object> body() {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("purpose", purpose);
            b.put("granted", granted());
            if (channel != null) b.put("channel", channel);
            if (source != null) b.put("source", source);
            return b;
        }

        @Override
        JsonNode run() throws Exception {
            return api.call("POST", "/api/profiles/" + ApiOptions.encode(profile) + "/consents", body());
        }
    }

    @Command(
            name = "grant",
            mixinStandardHelpOptions = true,
            description =
                    "Record a grant (it lapses at --expires, " + "after --ttl-days, or at the policy's maximum age).")
    static final class Grant extends Change {
        @Option(names = "--ttl-days", description = "the grant lapses after this many days")
        Double ttlDays;

        @Option(names = "--expires", paramLabel = "INSTANT", description = "the grant lapses at this instant")
        String expires;

        @Override
        boolean granted() {
            return true;
        }

        @Override
        Map<String, Object> body() {
            Map<String, Object> b = super.body();
            if (ttlDays != null) b.put("ttlDays", ttlDays);
            if (expires != null) b.put("expiresAt", expires);
            return b;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Record a revocation, effective at once.")
    static final class Revoke extends Change {
        @Override
        boolean granted() {
            return false;
        }
    }

    @Command(name = "expiring", mixinStandardHelpOptions = true, description = "Grants in force that lapse soon.")
    static final class Expiring extends ApiCall {
        @Option(names = "--within", defaultValue = "P30D", description = "ISO-8601 duration (default ${DEFAULT-VALUE})")
        String within;

        @Override
        JsonNode run() throws Exception {
            return api.call("GET", "/api/consents/expiring?within=" + ApiOptions.encode(within), null);
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Everything held about a person (events, identities, traits, scores, ledgers, consent, "
                    + "decisions, audit) as JSON: the right of access. Admin token.")
    static final class Export extends ApiCall {
        @Parameters(paramLabel = "PROFILE")
        String profile;

        @Option(names = "--out", paramLabel = "FILE", description = "write to this file instead of standard output")
        Path out;

        @Override
        JsonNode run() throws Exception {
            JsonNode x = api.call("GET", "/api/profiles/" + ApiOptions.encode(profile) + "/export", null);
            if (out == null) return x;
            Files.writeString(out, ApiOptions.JSON.writeValueAsString(x));
            System.out.println("wrote " + out + " (" + x.path("events").size() + " events)");
            return null;
        }
    }

    @Command(
            name = "erase",
            mixinStandardHelpOptions = true,
            description = {
                "Erase a person: their events leave the log and every score, journey and brand figure is "
                        + "rebuilt as if they had never existed. The erasure is recorded without their id. Admin token.",
                "With a Kafka-mode server (serve --log kafka://...) the answer is 202: the erasure command is in the "
                        + "log, the job erases them when it reaches it, then the log is cut; "
                        + "GET /api/erasures/requests shows where it stands (docs/SCALE-OUT.md).",
                "Irreversible: pass --yes."
            })
    static final class Erase extends ApiCall {
        @Parameters(paramLabel = "PROFILE")
        String profile;

        @Option(names = "--yes", description = "confirm: this cannot be undone")
        boolean yes;

        @Override
        JsonNode run() throws Exception {
            if (!yes) throw new ApiOptions.Failed(400, "erasing cannot be undone: pass --yes to confirm");
            return api.call("DELETE", "/api/profiles/" + ApiOptions.encode(profile), null);
        }
    }

    @Command(
            name = "keys",
            mixinStandardHelpOptions = true,
            description = "Write keys, one per source. A new key is shown once; Fusion keeps only its digest.",
            subcommands = {KeyCreate.class, KeyList.class, KeyRevoke.class})
    static final class Keys extends Group {}

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Issue a write key for a source.")
    static final class KeyCreate extends ApiCall {
        @Parameters(paramLabel = "SOURCE", description = "e.g. web, shop-pos, call-centre")
        String source;

        @Override
        JsonNode run() throws Exception {
            return api.call("POST", "/api/keys", Map.of("source", source));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every write key, without secrets.")
    static final class KeyList extends ListCall {
        KeyList() {
            super("/api/keys");
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a write key at once.")
    static final class KeyRevoke extends RevokeCall {
        KeyRevoke() {
            super("/api/keys/");
        }
    }

    /** Lists a collection of secrets (never the secrets themselves). */
    abstract static class ListCall extends ApiCall {
        private final String path;

        ListCall(String path) {
            this.path = path;
        }

        @Override
        JsonNode run() throws Exception {
            return api.call("GET", path, null);
        }
    }

    /** Revokes one secret of a collection by its id. */
    abstract static class RevokeCall extends ApiCall {
        private final String path;

        @Parameters(paramLabel = "ID")
        String id;

        RevokeCall(String path) {
            this.path = path;
        }

        @Override
        JsonNode run() throws Exception {
            api.call("DELETE", path + ApiOptions.encode(id), null);
            System.out.println("revoked " + id);
            return null;
        }
    }

    @Command(
            name = "tokens",
            mixinStandardHelpOptions = true,
            description = "API tokens with roles: analyst (reads), operator (also acts), admin (also erases, "
                    + "manages keys and tokens, reads the audit log).",
            subcommands = {TokenCreate.class, TokenList.class, TokenRevoke.class})
    static final class Tokens extends Group {}

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Issue a token; shown once.")
    static final class TokenCreate extends ApiCall {
        @Parameters(paramLabel = "NAME", description = "who it is for")
        String name;

        @Option(names = "--role", required = true, description = "analyst, operator or admin")
        String role;

        @Override
        JsonNode run() throws Exception {
            return api.call("POST", "/api/tokens", Map.of("name", name, "role", role));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every token, without secrets.")
    static final class TokenList extends ListCall {
        TokenList() {
            super("/api/tokens");
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token at once.")
    static final class TokenRevoke extends RevokeCall {
        TokenRevoke() {
            super("/api/tokens/");
        }
    }

    @Command(
            name = "audit",
            mixinStandardHelpOptions = true,
            description = "Who read or changed what about whom, newest first. Admin token.")
    static final class Audit extends ApiCall {
        @Option(names = "--subject", description = "only about this profile")
        String subject;

        @Option(names = "--actor", description = "only by this actor, as listed (e.g. 'ana (t_1a2b)')")
        String actor;

        @Option(names = "--since", paramLabel = "INSTANT")
        String since;

        @Option(names = "--limit", defaultValue = "100")
        int limit;

        @Override
        JsonNode run() throws Exception {
            StringBuilder q = new StringBuilder("/api/audit?limit=" + limit);
            if (subject != null) q.append("&subject=").append(ApiOptions.encode(subject));
            if (actor != null) q.append("&actor=").append(ApiOptions.encode(actor));
            if (since != null) q.append("&since=").append(ApiOptions.encode(since));
            return api.call("GET", q.toString(), null);
        }
    }
}
