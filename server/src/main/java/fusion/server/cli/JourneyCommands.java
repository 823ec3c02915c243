package fusion.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.analytics.attribution.Attribution;
import fusion.analytics.attribution.AttributionReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Customer incidence from the command line (docs/ATTRIBUTION.md). */
final class JourneyCommands {
    private JourneyCommands() {}

    @Command(
            name = "attribution",
            mixinStandardHelpOptions = true,
            description = {
                "Attribute conversions and value to channels from a paths file (path;conversions;value;nulls, "
                        + "as datasets/journeys/paths.csv): first touch, last touch, linear, and the Markov "
                        + "removal effect solved exactly on the absorbing chain.",
                "Streams the file, so ten million paths fit in a small heap. No server needed."
            })
    static final class AttributionCommand implements Callable<Integer> {
        @Option(names = "--paths", required = true, paramLabel = "FILE", description = "the paths file")
        Path paths;

        @Option(
                names = "--order",
                defaultValue = "1,2,3",
                split = ",",
                description = "Markov orders to solve (default ${DEFAULT-VALUE})")
        int[] orders;

        @Option(names = "--report", paramLabel = "FILE", description = "also write the full Markdown report here")
        Path report;

        @Option(names = "--json", description = "print the result as JSON instead of a table")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(paths)) {
                System.err.println("fusion attribution: --paths: no such file " + paths);
                return 2;
            }
            for (int k : orders) {
                if (k < 1 || k > 4) {
                    System.err.println("fusion attribution: --order: expected orders from 1 to 4 but was " + k);
                    return 2;
                }
            }
            long start = System.nanoTime();
            Attribution.AttributionResult r;
            try {
                r = Attribution.ofFile(paths, orders);
            } catch (IllegalArgumentException e) {
                System.err.println("fusion attribution: --paths: " + e.getMessage());
                return 2;
            }
            if (json) {
                System.out.println(ApiOptions.JSON.writeValueAsString(r));
            } else {
                printTable(r);
                System.err.printf(
                        "attributed %,d paths in %,d ms%n", r.paths(), (System.nanoTime() - start) / 1_000_000);
            }
            if (report != null) {
                Files.writeString(report, AttributionReport.render(paths));
                System.err.println("wrote " + report);
            }
            return 0;
        }

        private void printTable(Attribution.AttributionResult r) {
            System.out.printf(
                    "%,d paths, %,d journeys, %,d conversions (value %.2f), %,d without%n%n",
                    r.paths(), r.journeys(), r.conversions(), r.conversionValue(), r.nulls());
            StringBuilder head =
                    new StringBuilder(String.format("%-14s %10s %10s %10s", "channel", "first", "last", "linear"));
            for (var m : r.markov()) head.append(String.format(" %10s", "markov-" + m.order()));
            System.out.println(head);
            for (var h : r.heuristics()) {
                StringBuilder line = new StringBuilder(String.format(
                        "%-14s %10.1f %10.1f %10.1f",
                        h.channel(), h.firstTouchConversions(), h.lastTouchConversions(), h.linearConversions()));
                for (var m : r.markov()) {
                    double credit = m.channels().stream()
                            .filter(c -> c.channel().equals(h.channel()))
                            .mapToDouble(c -> c.conversions())
                            .sum();
                    line.append(String.format(" %10.1f", credit));
                }
                System.out.println(line);
            }
            System.out.println();
            for (var m : r.markov()) {
                System.out.printf(
                        "markov order %d: %d states, P(conversion) = %.6f (%s, residual %.1e)%n",
                        m.order(), m.states(), m.conversionProbability(), m.solver(), m.worstResidual());
            }
        }
    }

    @Command(
            name = "journeys",
            mixinStandardHelpOptions = true,
            description = "Journey statistics of a running server: per brand, journeys, stalls, the most frequent "
                    + "paths and channel transitions; share of orbit and leakage.")
    static final class Journeys extends PrivacyCommands.ApiCall {
        @Option(names = "--at", paramLabel = "INSTANT", description = "as of this instant (default now)")
        String at;

        @Option(
                names = "--audience",
                paramLabel = "ID",
                description = "only the members of this audience (docs/AUDIENCES.md); their segment is its id")
        String audience;

        @Option(names = "--json", description = "print the full report as JSON")
        boolean json;

        @Override
        JsonNode run() throws Exception {
            java.util.List<String> query = new java.util.ArrayList<>();
            if (at != null) query.add("at=" + ApiOptions.encode(at));
            if (audience != null) query.add("audience=" + ApiOptions.encode(audience));
            JsonNode r =
                    api.call("GET", "/api/journeys" + (query.isEmpty() ? "" : "?" + String.join("&", query)), null);
            if (json) return r;
            for (JsonNode b : r.path("brands")) {
                JsonNode median = b.path("stepTimes").path("medianSeconds");
                System.out.printf(
                        "%s / %s: %,d interactions, %,d journeys, %,d ended, %,d stalled; median step %s%n",
                        b.path("segment").asText(),
                        b.path("brand").asText(),
                        b.path("interactions").asLong(),
                        b.path("journeys").asLong(),
                        b.path("endedJourneys").asLong(),
                        b.path("stalledJourneys").asLong(),
                        median.isNumber() ? Durations.human(median.asDouble()) : "n/a");
                int n = 0;
                for (JsonNode p : b.path("topPaths")) {
                    if (n++ == 3) break;
                    System.out.printf(
                            "    %5d x %s%n",
                            p.path("journeys").asLong(),
                            String.join(
                                    " > ",
                                    Arrays.stream(ApiOptions.JSON.treeToValue(p.path("channels"), String[].class))
                                            .toList()));
                }
            }
            for (JsonNode o : r.path("orbit")) {
                System.out.printf(
                        "orbit %s: %-12s %5.1f%% of interactions, %5.1f%% of money%n",
                        o.path("segment").asText(),
                        o.path("brand").asText(),
                        100 * o.path("interactionShare").asDouble(),
                        100 * o.path("moneyShare").asDouble());
            }
            return null;
        }
    }
}
