package fusion.server.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * A seeded, realistic scenario of the 60 days before {@code end}, as Segment messages: own brands
 * (glitter, fashion; brewline, a coffee membership), competitors (rivalwear, beanhouse), a
 * restaurant (salmonella); consumers who browse anonymously, identify (or are aliased), research
 * here and sometimes buy at a competitor, get deliveries and support (some slow, some rude, some
 * wow), renew memberships or cancel, review, and send a few event names Fusion does not know. On
 * top, the story of seed 000 and a rich customer ({@link SeedStory}).
 */
public final class DemoScenario {
    static final int DAYS = 60;
    private static final String[] FIRST = {"Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Gus", "Hana", "Ivo",
        "Jade", "Kofi", "Lena", "Mateo", "Nia", "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Vik",
        "Wen", "Xavi", "Yara", "Zoe"};
    private static final String[] LAST = {"Lima", "Okafor", "Rossi", "Patel", "Kaya", "Silva", "Novak", "Berg",
        "Haddad", "Moreau", "Tanaka", "Costa", "Nagy", "Ivanova", "Diaz", "Kim"};
    private static final String[] ZONES = {"Europe/Rome", "Europe/London", "America/New_York",
        "America/Los_Angeles", "Asia/Tokyo"};
    private static final String[] CHANNELS = {"web", "app", "store", "chat", "email", "messaging"};

    private final long seed;
    private final int consumers;
    private final Instant end;

    public DemoScenario(long seed, int consumers, Instant end) {
        if (consumers < 1) throw new IllegalArgumentException("consumers must be at least 1 but was " + consumers);
        this.seed = seed;
        this.consumers = consumers;
        this.end = end;
    }

    public List<ObjectNode> messages() {
        Messages m = new Messages();
        Random r = new Random(seed);
        Instant start = end.minus(Duration.ofDays(DAYS));
        m.group("system", "glitter", "Glitter (fashion)", false, start);
        m.group("system", "brewline", "Brewline (coffee club)", false, start);
        m.group("system", "rivalwear", "Rivalwear", true, start);
        m.group("system", "beanhouse", "Beanhouse", true, start);
        m.group("system", "salmonella", "Salmonella (Hollywood restaurant)", false, start);
        SeedStory story = new SeedStory(m, end);
        for (int i = 0; i < consumers; i++) {
            consumer(m, r, i, story);
        }
        story.write(r);
        // sequences that would finish after the end (a delivery due tomorrow) have not happened yet
        return m.sorted().stream().filter(e -> !java.time.Instant.parse(e.get("timestamp").asText()).isAfter(end))
                .toList();
    }

    private void consumer(Messages m, Random r, int i, SeedStory story) {
        String anon = "anon-" + Long.toHexString(seed * 31 + i);
        String user = "user-" + i;
        Instant joined = dayAt(r, -DAYS + r.nextInt(20));
        Instant identified = r.nextDouble() < 0.75 ? joined.plus(Duration.ofHours(2 + r.nextInt(240))) : null;
        String channel = CHANNELS[r.nextInt(CHANNELS.length)];
        if (identified != null) {
            String name = FIRST[r.nextInt(FIRST.length)] + " " + LAST[r.nextInt(LAST.length)];
            if (r.nextDouble() < 0.85) {
                m.identify(user, anon, identified, "name", name, "email", user + "@example.com",
                        "preferred_channel", channel, "timezone", ZONES[r.nextInt(ZONES.length)]);
            } else {
                m.alias(anon, user, identified);
                m.identify(user, null, identified.plusSeconds(1), "name", name, "preferred_channel", channel);
            }
        }
        boolean member = r.nextDouble() < 0.3;
        if (member) membership(m, r, user, joined);
        int sessions = 3 + r.nextInt(9);
        for (int s = 0; s < sessions; s++) {
            Instant at = joined.plusSeconds((long) (r.nextDouble() * Duration.between(joined, end).getSeconds()));
            String who = identified != null && at.isAfter(identified) ? user : null;
            session(m, r, who, who == null ? anon : null, at, story);
        }
        if (story.attends(r, joined)) story.attend(who(identified, story.concert(), user), anon, identified, r);
    }

    private static String who(Instant identified, Instant at, String user) {
        return identified != null && at.isAfter(identified) ? user : null;
    }

    private void session(Messages m, Random r, String user, String anon, Instant at, SeedStory story) {
        String brand = pick(r, "glitter", 0.45, "brewline", 0.2, "rivalwear", 0.2, "beanhouse");
        String channel = r.nextBoolean() ? "web" : "app";
        for (int k = 0, views = 1 + r.nextInt(3); k < views; k++) {
            ObjectNode v = m.track(user, anon, "Product Viewed", at.plusSeconds(k * 40L));
            ((ObjectNode) v.get("properties")).put("brand", brand).put("channel", channel)
                    .put("product_id", brand + "-" + r.nextInt(40));
        }
        if (r.nextDouble() < 0.25) m.page(user, anon, "Catalogue", "/" + brand + "/catalogue", brand, at.plusSeconds(5));
        double buy = 0.35 * story.salesBoost(brand, at);
        if (user != null && r.nextDouble() < buy) {
            String buyAt = brand.equals("glitter") && r.nextDouble() < 0.15 ? "rivalwear" : brand;
            purchase(m, r, user, buyAt, at.plusSeconds(300 + r.nextInt(3600)));
        }
        if (user != null && r.nextDouble() < 0.12) support(m, r, user, brand, at.plusSeconds(7200));
        if (user != null && r.nextDouble() < 0.08) {
            m.track(user, "Product Reviewed", at.plusSeconds(86_400), "brand", brand,
                    "rating", 1 + r.nextInt(5), "channel", channel);
        }
        if (r.nextDouble() < 0.04) {
            ObjectNode unknown = m.track(user, anon, "Wishlist Synced", at.plusSeconds(20));
            ((ObjectNode) unknown.get("properties")).put("brand", brand);
        }
    }

    static void purchase(Messages m, Random r, String user, String brand, Instant at) {
        int revenue = 20 + r.nextInt(180);
        String channel = pick(r, "web", 0.5, "app", 0.3, "store");
        m.track(user, "Checkout Started", at.minusSeconds(120), "brand", brand, "channel", channel);
        m.track(user, "Order Completed", at, "brand", brand, "channel", channel, "revenue", revenue,
                "competitor", brand.equals("rivalwear") || brand.equals("beanhouse"));
        Instant delivered = at.plus(Duration.ofHours(24 + r.nextInt(48)));
        if (r.nextDouble() < 0.06) {
            m.track(user, "Delivery Failed", delivered, "brand", brand);
            m.track(user, "Ticket Created", delivered.plusSeconds(1800), "brand", brand, "channel", "phone",
                    "wait_seconds", 300 + r.nextInt(900), "description", "parcel never arrived");
            m.track(user, "Ticket Resolved", delivered.plus(Duration.ofHours(5)), "brand", brand, "channel", "phone",
                    "wow", r.nextDouble() < 0.3);
        } else {
            m.track(user, "Order Delivered", delivered, "brand", brand);
        }
    }

    private static void support(Messages m, Random r, String user, String brand, Instant at) {
        String channel = pick(r, "chat", 0.4, "phone", 0.3, "email", 0.15, "messaging");
        m.track(user, "Ticket Created", at, "brand", brand, "channel", channel, "description", "question about an order");
        Instant next = at.plus(Duration.ofHours(1 + r.nextInt(30)));
        if (r.nextDouble() < 0.3) {
            m.track(user, "Ticket Reopened", next, "brand", brand, "channel", channel,
                    "wait_seconds", 600 + r.nextInt(1800), "channel_switches", r.nextInt(2));
            next = next.plus(Duration.ofHours(6));
        }
        boolean rude = r.nextDouble() < 0.07;
        boolean wow = !rude && r.nextDouble() < 0.15;
        m.track(user, "Ticket Resolved", next, "brand", brand, "channel", channel,
                "staff_politeness", rude ? "rude" : "polite", "wow", wow,
                "consumer_politeness", r.nextDouble() < 0.2 ? "polite" : "unknown");
    }

    private void membership(Messages m, Random r, String user, Instant joined) {
        boolean cancels = r.nextDouble() < 0.12;
        int months = 0;
        for (Instant t = joined.plus(Duration.ofDays(1)); t.isBefore(end); t = t.plus(Duration.ofDays(30))) {
            if (cancels && months == 1) {
                m.track(user, "Membership Cancelled", t, "brand", "brewline", "channel", "app",
                        "description", "too many messages");
                return;
            }
            m.track(user, "Membership Renewed", t, "brand", "brewline", "channel", "app", "revenue", 30);
            for (int u = 0; u < 3; u++) {
                m.track(user, "Application Opened", t.plus(Duration.ofDays(2 + u * 7L)), "brand", "brewline");
            }
            months++;
        }
    }

    private Instant dayAt(Random r, int day) {
        return end.plus(Duration.ofDays(day)).plusSeconds(r.nextInt(86_400)).minus(Duration.ofDays(1));
    }

    /** Picks among options given as value, probability, value, probability, ..., last value. */
    static String pick(Random r, Object... options) {
        double roll = r.nextDouble();
        for (int i = 0; i + 1 < options.length; i += 2) {
            double p = (Double) options[i + 1];
            if (roll < p) return (String) options[i];
            roll -= p;
        }
        return (String) options[options.length - 1];
    }
}
