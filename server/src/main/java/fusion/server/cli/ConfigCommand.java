package fusion.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.engine.ModelConfig;
import fusion.core.engine.Parameter;
import fusion.server.ConfigValues;
import fusion.server.Setting;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = {
            "Print the whole configuration in force, as serve and demo would start with the same flags, "
                    + "environment and file: every setting's value and where it came from (flag, env, file or default), "
                    + "secrets redacted; then the scoring model's parameters (value in force, default, range, meaning).",
            "A flag wins over the environment, the environment over the --config file, the file over the "
                    + "default. A bad setting is refused naming it, with exit status 2."
        })
final class ConfigCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options = new ServerOptions();

    @Option(names = "--json", description = "print it as JSON instead of tables")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ConfigValues values = options.values();
        PrintStream out = System.out;
        if (json) {
            out.println(ApiOptions.JSON.writeValueAsString(json(values)));
            return 0;
        }
        out.println("Configuration in force (a flag wins over the environment, the environment over the file, the "
                + "file over the default; file: "
                + values.file().map(Path::toString).orElse("none") + ")");
        out.printf("%-30s %-36s %-8s %s%n", "key", "value", "source", "flag / env");
        for (Setting s : Setting.values()) {
            ConfigValues.Value v = values.value(s);
            out.printf(
                    "%-30s %-36s %-8s %s%n",
                    s.key(),
                    shown(values, v),
                    v.source().label(),
                    s.flag().map(f -> f + " / ").orElse("") + s.env());
        }
        out.println();
        out.println("Scoring model ("
                + values.value(Setting.MODEL)
                        .raw()
                        .map(f -> "overrides from " + f)
                        .orElse("the defaults") + ")");
        ModelConfig c = values.model();
        out.printf("%-28s %10s %10s  %-16s %s%n", "key", "value", "default", "range", "meaning");
        for (Parameter p : Parameter.values()) {
            out.printf(
                    "%-28s %10s %10s  %-16s %s%n",
                    p.key(), fmt(c.get(p)), fmt(p.defaultValue()), fmt(p.min()) + ".." + fmt(p.max()), p.meaning());
        }
        return 0;
    }

    private ObjectNode json(ConfigValues values) {
        ObjectNode root = ApiOptions.JSON.createObjectNode();
        root.put("file", values.file().map(Path::toString).orElse(null));
        root.putArray("precedence").add("flag").add("env").add("file").add("default");
        ArrayNode settings = root.putArray("settings");
        for (Setting s : Setting.values()) {
            ConfigValues.Value v = values.value(s);
            ObjectNode n = settings.addObject();
            n.put("key", s.key());
            n.put("value", v.raw().isPresent() ? v.shown() : null);
            if (v.raw().isEmpty() && s.secret()) n.put("note", shown(values, v));
            n.put("source", v.source().label());
            n.put("origin", v.origin());
            n.put("flag", s.flag().orElse(null));
            n.put("env", s.env());
            n.put("default", s.defaultValue().orElse(null));
            n.put("secret", s.secret());
            n.put("meaning", s.meaning());
        }
        ArrayNode model = root.putArray("model");
        ModelConfig c = values.model();
        for (Parameter p : Parameter.values()) {
            model.addObject()
                    .put("key", p.key())
                    .put("value", c.get(p))
                    .put("default", p.defaultValue())
                    .put("min", p.min())
                    .put("max", p.max())
                    .put("meaning", p.meaning());
        }
        return root;
    }

    /** A value as shown; an unset secret says where the server will take it from instead. */
    private String shown(ConfigValues values, ConfigValues.Value v) {
        if (!v.setting().secret() || v.raw().isPresent()) return v.shown();
        Path file = values.data("fusion-data").resolve("secrets.properties");
        return Files.exists(file) ? "(unset: from " + file + ")" : "(unset: generated into " + file + ")";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
