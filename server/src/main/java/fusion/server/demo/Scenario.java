package fusion.server.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * A seeded, realistic market over the 60 days before {@code end}, as Segment tracking-API
 * messages ready for {@code /v1/batch}. Own brands glitter (fashion) and brewline (a coffee
 * membership), competitors rivalwear and beanhouse, and the Hollywood restaurant salmonella are
 * declared with group calls. Each consumer lives a {@link Journey}: anonymous browsing, sign-up,
 * a second device merged by identify or alias, research here and purchases here or there,
 * deliveries, support, renewals, reviews. The story of seed 000, the two influencers and the fixed
 * profiles the README points to ({@code demo-alice}) are the {@link Story}.
 *
 * <p>The same seed, consumer count and end give the same messages, ids included, so a demo can be
 * reproduced exactly and tests can rely on it.
 */
public final class Scenario {
    static final int DAYS = 60;
    /**
     * Who declares the brands: a group call, like any Segment call, needs an identity. A store
     * holding this profile holds the demo.
     */
    public static final String BRAND_DESK = "demo-brand-desk";

    static final Set<String> COMPETITORS = Set.of("rivalwear", "beanhouse");

    private static final String[] FIRST = {
        "Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Gus", "Hana", "Ivo", "Jade", "Kofi", "Lena", "Mateo", "Nia",
        "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Vik", "Wen", "Xavi", "Yara", "Zoe"
    };
    private static final String[] LAST = {
        "Lima", "Okafor", "Rossi", "Patel", "Kaya", "Silva", "Novak", "Berg", "Haddad", "Moreau", "Tanaka", "Costa",
        "Nagy", "Ivanova", "Diaz", "Kim", "Walsh", "Mendes"
    };
    private static final String[] ZONES = {
        "America/Los_Angeles",
        "America/Los_Angeles",
        "America/New_York",
        "America/New_York",
        "Europe/London",
        "Europe/Rome",
        "Europe/Berlin",
        "Asia/Tokyo"
    };
    /** Stated preferences lean digital, as most consumers' do; the observed ones may differ. */
    private static final String[] PREFERRED = {
        "web", "web", "app", "app", "email", "chat", "messaging", "phone", "store"
    };

    private final long seed;
    private final int consumers;
    private final Instant end;

    public Scenario(long seed, int consumers, Instant end) {
        if (consumers < 0) throw new IllegalArgumentException("consumers must be >= 0 but was " + consumers);
        this.seed = seed;
        this.consumers = consumers;
        this.end = Objects.requireNonNull(end, "end");
    }

    /**
     * A brand action of the scenario, as an operator declares it: {@code POST /api/brands/{brand}/actions}
     * with this body ({@code name}, {@code kind}, {@code starts}, {@code ends}, {@code description}).
     */
    public record Action(String brand, ObjectNode body) {}

    /** The brand actions of the scenario: glitter's open-air concert, so the impact view has it from the start. */
    public List<Action> actions() {
        Story story = new Story(new Emitter(), end, new Random(seed ^ 0x000C0FFEEL));
        return List.of(story.concertAction());
    }

    /** Every message of the scenario, in time order, none after {@code end}. */
    public List<ObjectNode> messages() {
        Emitter out = new Emitter();
        // the first midnight inside the window, before anyone's first visit
        declareBrands(out, day(end, 1 - DAYS));
        Story story = new Story(out, end, new Random(seed ^ 0x000C0FFEEL));
        for (int i = 0; i < consumers; i++) {
            // one generator per consumer: consumer 7 lives the same life whatever the count
            Random r = new Random(seed * 1_000_003L + i);
            new Journey(out, story, person(r, i), r, end).live();
        }
        story.write();
        return out.sorted(end);
    }

    private static void declareBrands(Emitter out, Instant at) {
        Who desk = Who.user(BRAND_DESK);
        brand(out, desk, at, "glitter", "Glitter", "fashion", "hosts open-air concerts; the one-shoulder sweater");
        brand(out, desk, at, "brewline", "Brewline", "coffee", "coffee subscription club, billed monthly");
        brand(out, desk, at, "rivalwear", "Rivalwear", "fashion", "competing fashion label");
        brand(out, desk, at, "beanhouse", "Beanhouse", "coffee", "competing coffee chain");
        brand(out, desk, at, "salmonella", "Salmonella", "restaurant", "the hottest restaurant in Hollywood");
    }

    private static void brand(
            Emitter out, Who desk, Instant at, String id, String name, String industry, String description) {
        out.group(desk, id, at)
                .put("name", name)
                .put("competitor", COMPETITORS.contains(id))
                .put("industry", industry)
                .put("description", description);
    }

    private static Person person(Random r, int i) {
        String first = FIRST[r.nextInt(FIRST.length)];
        String last = LAST[r.nextInt(LAST.length)];
        ZoneId zone = ZoneId.of(ZONES[r.nextInt(ZONES.length)]);
        boolean identifies = r.nextDouble() < 0.88;
        // returning customers, known from before, are there from the start; newcomers keep
        // arriving, fewer as time goes on
        boolean returning = identifies && r.nextDouble() < 0.4;
        int firstDay = returning ? -58 + r.nextInt(5) : -58 + (int) (Math.pow(r.nextDouble(), 1.6) * 50);
        double fashion = 0.25 + 0.6 * r.nextDouble();
        boolean attends = r.nextDouble() < 0.4;
        // the concert's announcement brings some newcomers: attendees are around by the days before it
        if (attends) firstDay = Math.min(firstDay, Story.CONCERT_DAY - 3 - r.nextInt(6));
        return new Person(
                i,
                String.format(Locale.ROOT, "cust-%05d", i),
                uuid(r),
                uuid(r),
                first + " " + last,
                (first + "." + last + "." + i + "@example.com").toLowerCase(Locale.ROOT),
                PREFERRED[r.nextInt(PREFERRED.length)],
                zone,
                firstDay,
                identifies,
                returning,
                fashion,
                0.05 + 0.2 * r.nextDouble(),
                5 + 6 * r.nextDouble(),
                identifies && r.nextDouble() < 0.15 + 0.5 * (1 - fashion),
                attends,
                identifies && r.nextDouble() < 0.45,
                r.nextDouble() < 0.3,
                identifies && r.nextDouble() < (zone.getId().equals("America/Los_Angeles") ? 0.3 : 0.03));
    }

    private static String uuid(Random r) {
        return new UUID(r.nextLong(), r.nextLong()).toString();
    }

    /** Midnight UTC of day {@code d} relative to the day of {@code end} (0 is that day, -30 a month before). */
    static Instant day(Instant end, int d) {
        return end.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(d));
    }

    /** Day {@code d} at {@code hour} local time in {@code zone}: people act in their waking hours. */
    static Instant local(Instant end, int d, double hour, ZoneId zone) {
        LocalDate date = LocalDate.ofInstant(end, ZoneOffset.UTC).plusDays(d);
        return date.atStartOfDay()
                .plusSeconds((long) (hour * 3600))
                .atZone(zone)
                .toInstant();
    }

    /** The ids a call carries: a user id, a device's anonymous id, or both once the device is known. */
    record Who(String userId, String anonymousId) {
        static Who user(String id) {
            return new Who(id, null);
        }

        static Who anon(String id) {
            return new Who(null, id);
        }
    }

    /**
     * A consumer's fixed traits and habits.
     *
     * @param identifies signs up (or logs in) at some point; the others stay anonymous browsers
     * @param returning a customer from before the window: logs in on the first visit
     * @param fashion  share of sessions about fashion (the rest is coffee)
     * @param leak     chance that research at an own brand ends in a purchase at its competitor
     * @param meanGap  mean days between sessions
     * @param member   joins brewline's coffee club
     * @param attends  goes to glitter's open-air concert
     * @param appUser  installs an app after signing up on the web (a second device to merge)
     * @param alias    the app links its device with an alias call rather than an identify
     * @param diner    dines once at salmonella
     */
    record Person(
            int index,
            String userId,
            String webAnon,
            String appAnon,
            String name,
            String email,
            String preferred,
            ZoneId zone,
            int firstDay,
            boolean identifies,
            boolean returning,
            double fashion,
            double leak,
            double meanGap,
            boolean member,
            boolean attends,
            boolean appUser,
            boolean alias,
            boolean diner) {}

    /** Builds the messages, numbering them so that their messageIds are deterministic. */
    static final class Emitter {
        private static final ObjectMapper JSON = new ObjectMapper();

        private record Entry(Instant at, long seq, ObjectNode message) {}

        private final List<Entry> entries = new ArrayList<>();
        private long counter;

        /** A track call; returns its properties, with the brand and, for a competitor, the flag set. */
        ObjectNode track(Who who, String event, Instant at, String brand) {
            ObjectNode m = base("track", who, at);
            m.put("event", event);
            return brand(m.putObject("properties"), brand);
        }

        ObjectNode page(Who who, String name, String path, String brand, Instant at) {
            ObjectNode m = base("page", who, at);
            m.put("name", name);
            return brand(m.putObject("properties").put("path", path), brand);
        }

        ObjectNode screen(Who who, String name, String brand, Instant at) {
            ObjectNode m = base("screen", who, at);
            m.put("name", name);
            return brand(m.putObject("properties"), brand);
        }

        /** An identify call; returns its traits. */
        ObjectNode identify(Who who, Instant at) {
            return base("identify", who, at).putObject("traits");
        }

        /** An identify call carrying the sign-up form's consent boxes (Segment's consent object); returns its traits. */
        ObjectNode identify(Who who, Instant at, boolean marketing, boolean personalisation) {
            ObjectNode call = base("identify", who, at);
            call.putObject("context")
                    .putObject("consent")
                    .putObject("categoryPreferences")
                    .put("Advertising", marketing)
                    .put("Functional", personalisation)
                    .put("Analytics", true);
            return call.putObject("traits");
        }

        void alias(String previousId, String userId, Instant at) {
            base("alias", Who.user(userId), at).put("previousId", previousId);
        }

        /** A group call; returns its traits. */
        ObjectNode group(Who who, String groupId, Instant at) {
            ObjectNode m = base("group", who, at);
            m.put("groupId", groupId);
            return m.putObject("traits");
        }

        /** The messageId of the last call emitted (an idea's id, for the votes that name it). */
        String lastId() {
            return "demo-" + (counter - 1);
        }

        /** Everything emitted up to {@code end}, oldest first; what would happen later has not happened yet. */
        List<ObjectNode> sorted(Instant end) {
            return entries.stream()
                    .filter(e -> !e.at().isAfter(end))
                    .sorted(Comparator.comparing(Entry::at).thenComparingLong(Entry::seq))
                    .map(Entry::message)
                    .toList();
        }

        private static ObjectNode brand(ObjectNode properties, String brand) {
            if (brand != null) {
                properties.put("brand", brand);
                if (COMPETITORS.contains(brand)) properties.put("competitor", true);
            }
            return properties;
        }

        private ObjectNode base(String type, Who who, Instant at) {
            long seq = counter++;
            ObjectNode m = JSON.createObjectNode();
            m.put("type", type);
            m.put("messageId", "demo-" + seq);
            if (who.userId() != null) m.put("userId", who.userId());
            if (who.anonymousId() != null) m.put("anonymousId", who.anonymousId());
            // whole seconds: the same text whatever the precision of the end instant
            Instant t = at.truncatedTo(ChronoUnit.SECONDS);
            m.put("timestamp", t.toString());
            entries.add(new Entry(t, seq, m));
            return m;
        }
    }
}
