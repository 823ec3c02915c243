package fusion.server.log;

import fusion.core.model.InvalidInput;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Kafka topic as users write it: {@code kafka://HOST:PORT/TOPIC}, or several bootstrap brokers
 * separated by commas ({@code kafka://k1:9092,k2:9092/fusion-events}). Every problem names the
 * option {@code log}.
 *
 * @param bootstrap the brokers to start from, {@code host:port} each
 * @param topic     the topic of accepted calls
 */
public record KafkaUrl(List<String> bootstrap, String topic) {
    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private static final String FORM = "expected kafka://HOST:PORT/TOPIC";

    public KafkaUrl {
        bootstrap = List.copyOf(bootstrap);
        if (bootstrap.isEmpty()) throw new InvalidInput("log", FORM + " but no broker was named");
        if (topic == null || !TOPIC.matcher(topic).matches()) {
            throw new InvalidInput(
                    "log", "the topic '" + topic + "' is not a Kafka topic name (1 to 249 of a-z A-Z " + "0-9 . _ -)");
        }
    }

    public static KafkaUrl parse(String text) {
        if (text == null || !text.startsWith("kafka://")) {
            throw new InvalidInput("log", FORM + " but was '" + text + "'");
        }
        String rest = text.substring("kafka://".length());
        int slash = rest.indexOf('/');
        if (slash < 0) throw new InvalidInput("log", FORM + " but the URL names no topic");
        List<String> brokers = new ArrayList<>();
        for (String b : rest.substring(0, slash).split(",", -1)) {
            int colon = b.lastIndexOf(':');
            if (colon <= 0) throw new InvalidInput("log", FORM + " but the broker '" + b + "' has no port");
            int port;
            try {
                port = Integer.parseInt(b.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new InvalidInput("log", FORM + " but the broker '" + b + "' has no numeric port");
            }
            if (port < 1 || port > 65_535) {
                throw new InvalidInput("log", "the broker '" + b + "' has port " + port + ", expected 1 to 65535");
            }
            brokers.add(b);
        }
        return new KafkaUrl(brokers, rest.substring(slash + 1));
    }

    public String bootstrapServers() {
        return String.join(",", bootstrap);
    }

    @Override
    public String toString() {
        return "kafka://" + bootstrapServers() + "/" + topic;
    }
}
