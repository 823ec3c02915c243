package fusion.core.engine;

import fusion.core.model.InvalidInput;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The scoring model's parameters: defaults from {@link Parameter}, overridden by a properties
 * file or map, validated eagerly and immutable afterwards. An unknown key or a value out of range
 * fails on load with the key in the message, never at the first event.
 */
public final class ModelConfig {
    private final double[] values;

    private ModelConfig(double[] values) {
        this.values = values;
    }

    public static ModelConfig defaults() {
        double[] v = new double[Parameter.values().length];
        for (Parameter p : Parameter.values()) {
            v[p.ordinal()] = p.defaultValue();
        }
        return new ModelConfig(v);
    }

    /** Defaults overridden by {@code overrides}; every key must name a {@link Parameter}. */
    public static ModelConfig of(Map<String, String> overrides) {
        double[] v = defaults().values.clone();
        TreeSet<String> unknown = new TreeSet<>();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            Parameter p = byKey(e.getKey());
            if (p == null) {
                unknown.add(e.getKey());
                continue;
            }
            v[p.ordinal()] = parse(p, e.getValue());
        }
        if (!unknown.isEmpty()) {
            throw new InvalidInput(
                    unknown.first(),
                    "unknown model parameter; known are "
                            + Arrays.stream(Parameter.values())
                                    .map(Parameter::key)
                                    .toList());
        }
        return new ModelConfig(v);
    }

    public static ModelConfig of(Properties properties) {
        Map<String, String> m = new java.util.TreeMap<>();
        for (String k : properties.stringPropertyNames()) {
            m.put(k, properties.getProperty(k));
        }
        return of(m);
    }

    public double get(Parameter p) {
        return values[p.ordinal()];
    }

    /** Every parameter with its value, in declaration order. */
    public Map<Parameter, Double> asMap() {
        Map<Parameter, Double> m = new EnumMap<>(Parameter.class);
        for (Parameter p : Parameter.values()) {
            m.put(p, values[p.ordinal()]);
        }
        return m;
    }

    private static Parameter byKey(String key) {
        for (Parameter p : Parameter.values()) {
            if (p.key().equals(key.trim())) {
                return p;
            }
        }
        return null;
    }

    private static double parse(Parameter p, String raw) {
        double d;
        try {
            d = Double.parseDouble(raw.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new InvalidInput(p.key(), "expected a number but was '" + raw + "'");
        }
        if (!(d >= p.min() && d <= p.max())) {
            throw new InvalidInput(p.key(), "expected a value from " + p.min() + " to " + p.max() + " but was " + raw);
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && Arrays.equals(values, c.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }
}
