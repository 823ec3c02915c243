package fusion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpTextTest {

    @Test
    @DisplayName(
            "issue 13: the help of every command and subcommand renders without a picocli format warning, a literal % printed as %")
    void everyHelpTextRendersWithoutAFormatWarning() {
        List<CommandLine> all = new ArrayList<>();
        collect(new CommandLine(new Main()), all);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        StringBuilder usage = new StringBuilder();
        try {
            for (CommandLine c : all) {
                usage.append(c.getUsageMessage(CommandLine.Help.Ansi.OFF));
            }
        } finally {
            System.setErr(err);
        }

        assertThat(all).hasSizeGreaterThan(10);
        // picocli writes its warning to stderr and falls back to the raw, unformatted text
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
        assertThat(usage.toString()).contains("its 95% interval", "15% a year").doesNotContain("%%");
    }

    private static void collect(CommandLine c, List<CommandLine> into) {
        into.add(c);
        c.getSubcommands().values().stream().distinct().forEach(s -> collect(s, into));
    }
}
