package fusion.server.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.server.demo.Scenario.Emitter;
import fusion.server.demo.Scenario.Who;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Random;

/**
 * The scripted part of the demo, on fixed days. Seed 000: glitter's free open-air concert (day
 * -30), where popstar wears glitter's sweater and gains 100k followers, and glitter sells more for
 * two weeks after; a week later (day -23) popstar, still in the sweater, tweets blaming
 * salmonella's waitstaff for a bad salmon dish. popstar is an active influencer: glitter also sells
 * more the week after her selfie in its collection (day -50). quietcool never posts but is seen in
 * rivalwear, and rivalwear sells a little more the week after each sighting (a passive influencer). Those effects are planted here
 * ({@link #purchaseBoost}) so that Fusion's impact analysis has something real to find.
 *
 * <p>Three fixed profiles make the customer 360 worth opening: {@code demo-alice} (every channel
 * and purpose, two devices merged, research here and purchase there), {@code demo-bruno} (a broken
 * machine put right by a Plan B, seed 004) and {@code demo-chiara} (the polite customer).
 */
final class Story {
    static final int CONCERT_DAY = -30;
    static final int TWEET_DAY = -23;
    /** The day popstar posts a mirror selfie in glitter's new collection; it sells for a week. */
    static final int SELFIE_DAY = -50;
    /** Days quietcool is photographed wearing rivalwear. */
    static final int[] QUIETCOOL_DAYS = {-52, -38, -12};

    private static final ZoneId HOLLYWOOD = ZoneId.of("America/Los_Angeles");
    private static final Duration UPTICK = Duration.ofDays(14);
    private static final Duration COPYCATS = Duration.ofDays(7);
    private static final String JOINED = "joined the brewline coffee club";

    private final Emitter out;
    private final Instant end;
    private final Random r;
    private final Instant concert;

    Story(Emitter out, Instant end, Random r) {
        this.out = out;
        this.end = end;
        this.r = r;
        this.concert = t(CONCERT_DAY, 20);
    }

    Instant concert() {
        return concert;
    }

    /**
     * The concert as glitter's operators declare it: from when the gates open (attendees arrive
     * in the hour before it) to the end of the show.
     */
    Scenario.Action concertAction() {
        ObjectNode body = new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode()
                .put("name", "Open-air concert with popstar")
                .put("kind", "concert")
                .put("starts", concert.minus(Duration.ofHours(1)).toString())
                .put("ends", concert.plus(Duration.ofHours(2)).toString())
                .put("description", "glitter's free open-air concert; popstar wore the one-shoulder sweater on stage");
        return new Scenario.Action("glitter", body);
    }

    /** How many times likelier than usual a purchase at {@code brand} is at {@code at}. */
    double purchaseBoost(String brand, Instant at) {
        if (brand.equals("glitter") && !at.isBefore(concert) && at.isBefore(concert.plus(UPTICK))) {
            // strongest right after the concert, fading out over two weeks
            double left = 1 - (double) Duration.between(concert, at).toMinutes() / UPTICK.toMinutes();
            return 1 + 1.2 * left;
        }
        Instant selfie = t(SELFIE_DAY, 12);
        if (brand.equals("glitter") && !at.isBefore(selfie) && at.isBefore(selfie.plus(COPYCATS))) {
            // an active influencer: what she posts sells
            return 2.5;
        }
        if (brand.equals("rivalwear")) {
            for (int d : QUIETCOOL_DAYS) {
                Instant seen = sighting(d);
                if (!at.isBefore(seen) && at.isBefore(seen.plus(COPYCATS))) return 1.5;
            }
        }
        return 1;
    }

    /** A consumer at the concert: free value from glitter, shared with the artist on stage. */
    void attend(Who who, Random rc) {
        ObjectNode p = out.track(who, "Event Attended", concert.minusSeconds(rc.nextInt(3600)), "glitter")
                .put("channel", "event")
                .put("contact_point", "open-air-concert")
                .put("value_received", 2.0)
                .put("description", "glitter's free open-air concert");
        p.putArray("co_parties").add("popstar");
    }

    void write() {
        popstar();
        quietcool();
        alice();
        bruno();
        chiara();
        chiaraIdea();
    }

    /** The active influencer: she talks about brands, to a million followers. */
    private void popstar() {
        Who me = Who.user("popstar");
        out.identify(me, t(-58, 12))
                .put("name", "Popstar")
                .put("role", "pop artist")
                .put("followers", 1_100_000)
                .put("timezone", HOLLYWOOD.getId());
        mention(me, t(SELFIE_DAY, 12), "glitter", 0.7, 1_100_000, "posted a mirror selfie in glitter's new collection");
        mention(me, -41, "beanhouse", 0.5, 1_150_000, "posted her morning latte from beanhouse");
        out.track(me, "Product Worn", concert.plus(Duration.ofMinutes(45)), "glitter")
                .put("channel", "event")
                .put("contact_point", "open-air-concert")
                .put("reach", 1_200_000)
                .put("followers_gained", 100_000)
                .put("description", "wore the brand's sweater at the concert");
        ObjectNode dinner = out.track(me, "Order Completed", t(TWEET_DAY - 1, 21), "salmonella")
                .put("channel", "store")
                .put("contact_point", "salmonella-hollywood")
                .put("revenue", 210.0)
                .put("description", "dinner at salmonella in the glitter sweater; tipped poorly");
        dinner.putArray("co_parties").add("glitter");
        ObjectNode tweet = out.track(me, "Brand Mentioned", t(TWEET_DAY, 10), "salmonella")
                .put("purpose", "complaint")
                .put("channel", "social")
                .put("contact_point", "twitter")
                .put("sentiment", -0.9)
                .put("consumer_politeness", "rude")
                .put("need_met", false)
                .put("reach", 1_300_000)
                .put("description", "tweeted blaming the waitstaff for a bad salmon dish");
        tweet.putArray("co_parties").add("glitter");
        mention(me, -10, "brewline", 0.6, 1_300_000, "posted her brewline cold brew");
    }

    private void mention(Who who, int day, String brand, double sentiment, int reach, String description) {
        mention(who, t(day, 9 + r.nextInt(10)), brand, sentiment, reach, description);
    }

    private void mention(Who who, Instant at, String brand, double sentiment, int reach, String description) {
        out.track(who, "Brand Mentioned", at, brand)
                .put("purpose", "advocacy")
                .put("channel", "social")
                .put("sentiment", sentiment)
                .put("reach", reach)
                .put("description", description);
    }

    /** The passive influencer: never posts, yet what she is seen in sells. */
    private void quietcool() {
        Who me = Who.user("quietcool");
        out.identify(me, t(-59, 15))
                .put("name", "Quietcool")
                .put("role", "actress")
                .put("timezone", HOLLYWOOD.getId());
        order(me, -56, "rivalwear", "store", 240.0, "denim jacket");
        String[] where = {"a gallery opening", "a film premiere", "a street-style shoot"};
        for (int i = 0; i < QUIETCOOL_DAYS.length; i++) {
            // no reach: she posts nothing; others' photos carry the jacket
            out.track(me, "Product Worn", sighting(QUIETCOOL_DAYS[i]), "rivalwear")
                    .put("channel", "event")
                    .put("description", "seen wearing rivalwear's denim jacket at " + where[i]);
        }
    }

    private Instant sighting(int day) {
        return t(day, 21);
    }

    /** demo-alice: two devices merged, every purpose, research at glitter and a purchase at rivalwear. */
    private void alice() {
        String laptop = "anon-alice-laptop";
        String phone = "anon-alice-phone";
        Who anon = Who.anon(laptop);
        Who web = new Who("demo-alice", laptop);
        Who app = new Who("demo-alice", phone);
        Who me = Who.user("demo-alice");
        out.page(anon, "Glitter", "/glitter", "glitter", t(-55, 19.1));
        out.track(anon, "Products Searched", t(-55, 19.12), "glitter")
                .put("channel", "web")
                .put("query", "sweater");
        out.track(anon, "Product Viewed", t(-55, 19.15), "glitter")
                .put("channel", "web")
                .put("name", "one-shoulder glitter sweater");
        out.page(anon, "Create account", "/account/new", "glitter", t(-55, 19.3));
        traits(out.identify(web, t(-55, 19.35)));
        out.screen(Who.anon(phone), "Welcome", "glitter", t(-54, 8.1));
        out.alias(phone, "demo-alice", t(-54, 8.15));
        order(web, -53, "glitter", "web", 89.99, "one-shoulder glitter sweater");
        out.track(me, "Order Delivered", t(-51, 11), "glitter");
        for (int m = 0; m < 2; m++) {
            out.track(me, "Membership Renewed", t(-50 + 30 * m, 7), "brewline")
                    .put("channel", m == 0 ? "web" : "email")
                    .put("revenue", 29.0)
                    .put("description", m == 0 ? JOINED : "monthly renewal");
            out.track(me, "Order Delivered", t(-48 + 30 * m, 10), "brewline").put("description", "monthly beans");
        }
        for (int d : new int[] {-47, -43, -38, -33, -27, -19, -13, -6}) {
            out.track(app, "Product Used", t(d, 7.5), "brewline").put("feature", "brew scheduler");
        }
        out.track(me, "Ticket Created", t(-44, 12), "brewline")
                .put("channel", "chat")
                .put("wait_seconds", 45)
                .put("description", "charged twice this month");
        out.track(me, "Ticket Reopened", t(-43, 9), "brewline")
                .put("channel", "phone")
                .put("wait_seconds", 1260)
                .put("channel_switches", 1)
                .put("repeat_contacts", 1)
                .put("description", "still charged twice");
        out.track(me, "Ticket Resolved", t(-43, 9.5), "brewline")
                .put("channel", "phone")
                .put("staff_politeness", "polite")
                .put("description", "double charge refunded");
        attend(me, r);
        out.track(me, "Product Shared", t(CONCERT_DAY, 23), "glitter")
                .put("channel", "social")
                .put("reach", 850)
                .put("sentiment", 0.9)
                .put("description", "posted a photo of popstar in the glitter sweater");
        out.screen(app, "Catalogue", "glitter", t(-29, 8));
        out.track(app, "Product Viewed", t(-29, 8.02), "glitter")
                .put("channel", "app")
                .put("name", "glitter sweater, the one popstar wore");
        order(app, -29, "glitter", "app", 119.99, "glitter sweater, the one popstar wore");
        out.track(me, "Delivery Failed", t(-27, 14), "glitter")
                .put("description", "courier could not find the building");
        out.track(me, "Ticket Created", t(-27, 15), "glitter")
                .put("channel", "messaging")
                .put("wait_seconds", 30)
                .put("description", "where is my sweater?");
        out.track(me, "Ticket Resolved", t(-27, 16), "glitter")
                .put("channel", "messaging")
                .put("wow", true)
                .put("staff_politeness", "polite")
                .put("description", "courier rebooked to her office the same day, with a handwritten note");
        out.track(me, "Order Delivered", t(-27, 18), "glitter");
        out.track(me, "Product Reviewed", t(-24, 21), "glitter")
                .put("channel", "web")
                .put("rating", 4)
                .put("description", "love it; the delivery was a saga");
        out.track(me, "Email Opened", t(-14, 8), "glitter").put("campaign", "autumn-jackets");
        out.track(me, "Email Link Clicked", t(-14, 8.01), "glitter").put("campaign", "autumn-jackets");
        out.page(web, "Glitter - Jackets", "/glitter/jackets", "glitter", t(-14, 8.02));
        out.track(web, "Product Viewed", t(-14, 8.05), "glitter")
                .put("channel", "web")
                .put("name", "denim jacket");
        out.track(me, "Product Viewed", t(-12, 17), "glitter")
                .put("channel", "store")
                .put("contact_point", "glitter-store")
                .put("name", "denim jacket");
        // research here, buy there: the day after quietcool was seen in rivalwear's jacket
        order(me, -11, "rivalwear", "store", 139.0, "denim jacket");
        out.track(app, "Product Added to Wishlist", t(-8, 22), "glitter")
                .put("channel", "app")
                .put("name", "silk scarf");
        out.track(me, "Video Call Completed", t(-5, 18), "glitter")
                .put("need_met", true)
                .put("wow", true)
                .put("description", "video-valet styling session for a party");
        out.track(web, "Idea Submitted", t(-3, 21), "glitter")
                .put("channel", "web")
                .put("description", "the one-shoulder sweater in recycled yarn");
        String sweaterIdea = out.lastId();
        out.track(me, "Idea Submitted", t(-15, 7.8), "brewline")
                .put("channel", "app")
                .put("description", "an oat milk option for the cold brew");
        for (int k = 1; k <= 5; k++) {
            out.track(Who.user("demo-fan-" + k), "Idea Voted", t(-2, 9 + k), "glitter")
                    .put("channel", "web")
                    .put("idea_id", sweaterIdea);
        }
        out.track(app, "Feature Used", t(-1, 7), "brewline").put("feature", "brew scheduler");
    }

    private static void traits(ObjectNode t) {
        t.put("name", "Alice Demo")
                .put("email", "alice@example.com")
                .put("preferred_channel", "chat")
                .put("timezone", HOLLYWOOD.getId());
    }

    /** demo-bruno: the club's machine breaks; a loan machine by courier next morning (Plan B, seed 004). */
    private void bruno() {
        Who me = Who.user("demo-bruno");
        out.identify(me, t(-57, 18))
                .put("name", "Bruno Demo")
                .put("email", "bruno@example.com")
                .put("preferred_channel", "phone")
                .put("timezone", HOLLYWOOD.getId());
        for (int m = 0; m < 2; m++) {
            out.track(me, "Membership Renewed", t(-57 + 30 * m, 18.1), "brewline")
                    .put("channel", "web")
                    .put("revenue", 29.0)
                    .put("description", m == 0 ? JOINED : "monthly renewal");
        }
        for (int d : new int[] {-54, -49, -44, -40, -20, -14, -7, -2}) {
            out.track(me, "Product Used", t(d, 6.5), "brewline").put("feature", "espresso");
        }
        out.track(me, "Product Used", t(-36, 6.5), "brewline")
                .put("need_met", false)
                .put("sentiment", -0.6)
                .put("description", "the club's coffee machine stopped heating");
        out.track(me, "Ticket Created", t(-36, 9), "brewline")
                .put("channel", "phone")
                .put("wait_seconds", 420)
                .put("description", "machine broken, no coffee before work");
        out.track(me, "Ticket Resolved", t(-35, 8), "brewline")
                .put("channel", "courier")
                .put("wow", true)
                .put("value_received", 3.0)
                .put("staff_politeness", "polite")
                .put(
                        "description",
                        "Plan B: a loan machine couriered next morning, " + "the broken one picked up for repair");
        out.track(me, "Product Used", t(-35, 8.5), "brewline")
                .put("feature", "espresso")
                .put("description", "first coffee from the loan machine");
        out.track(me, "Order Delivered", t(-28, 11), "brewline").put("description", "repaired machine back home");
        out.track(me, "Product Reviewed", t(-26, 20), "brewline")
                .put("channel", "web")
                .put("rating", 5)
                .put("description", "the loan machine saved my mornings");
        out.track(me, "Product Shared", t(-10, 13), "brewline")
                .put("channel", "messaging")
                .put("reach", 1)
                .put("description", "recommended the club to a colleague");
        // seed 004, co-creation: his Plan B becomes his idea, the club adopts it and credits him
        out.track(me, "Feedback Submitted", t(-34, 19), "brewline")
                .put("channel", "web")
                .put("sentiment", 0.6)
                .put("suggestion", "a loan machine as standard whenever a member's machine is away for repair");
        String loanIdea = out.lastId();
        for (int k = 1; k <= 3; k++) {
            out.track(Who.user("demo-fan-" + k), "Idea Voted", t(-33, 9 + k), "brewline")
                    .put("channel", "web")
                    .put("idea_id", loanIdea);
        }
        out.track(me, "Idea Status Changed", t(-21, 10), "brewline")
                .put("channel", "web")
                .put("contact_point", "ideas")
                .put("idea_id", loanIdea)
                .put("status", "adopted")
                .put("actor", "brewline product team")
                .put("value_received", 1.0)
                .put("description", "idea adopted: a loan machine as standard while a member's machine is repaired");
    }

    /** demo-chiara's review of glitter, carrying a suggestion (the ideas stream, seed 004). */
    private void chiaraIdea() {
        // the same wish as demo-alice's idea, in her words, inside a review: grouped with it
        out.track(Who.user("demo-chiara"), "Product Reviewed", t(-2, 18), "glitter")
                .put("channel", "web")
                .put("rating", 5)
                .put("description", "the silk scarf is perfect")
                .put("suggestion", "would love the one shoulder sweater knitted from recycled yarn");
    }

    /** demo-chiara: polite in store, on the phone and at the restaurant, and rewarded for it (seed 004). */
    private void chiara() {
        Who me = Who.user("demo-chiara");
        out.identify(me, t(-50, 11))
                .put("name", "Chiara Demo")
                .put("email", "chiara@example.com")
                .put("preferred_channel", "store")
                .put("timezone", HOLLYWOOD.getId());
        out.track(me, "Product Viewed", t(-48, 16), "glitter")
                .put("channel", "store")
                .put("contact_point", "glitter-store")
                .put("name", "silk scarf");
        order(me, -48, "glitter", "store", 64.99, "silk scarf")
                .put("consumer_politeness", "polite")
                .put("staff_politeness", "polite");
        out.track(me, "Ticket Created", t(-33, 10), "glitter")
                .put("channel", "phone")
                .put("wait_seconds", 200)
                .put("consumer_politeness", "polite")
                .put("description", "size exchange for a gift");
        out.track(me, "Ticket Resolved", t(-33, 10.2), "glitter")
                .put("channel", "phone")
                .put("staff_politeness", "polite")
                .put("description", "exchange arranged in store");
        order(me, -20, "salmonella", "store", 78.0, "dinner")
                .put("consumer_politeness", "polite")
                .put("description", "dinner; said please and thank you to the waiter");
        out.track(me, "Product Reviewed", t(-19, 9), "salmonella")
                .put("channel", "web")
                .put("rating", 4)
                .put("description", "the salmon was off, but the waiter was lovely");
        out.track(me, "Coupon Applied", t(-6, 20), "salmonella")
                .put("channel", "store")
                .put("value_received", 1.0)
                .put("description", "10% off for polite guests");
        order(me, -6, "salmonella", "store", 70.2, "dinner").put("consumer_politeness", "polite");
    }

    /** An order in the evening of {@code day}; returns its properties. */
    private ObjectNode order(Who who, int day, String brand, String channel, double revenue, String item) {
        Instant at = t(day, 20.5);
        String id = "O-" + (who.userId() == null ? who.anonymousId() : who.userId()) + "-d" + -day;
        if (!channel.equals("store")) {
            out.track(who, "Checkout Started", at.minusSeconds(120), brand)
                    .put("channel", channel)
                    .put("order_id", id);
        }
        ObjectNode p = out.track(who, "Order Completed", at, brand)
                .put("channel", channel)
                .put("order_id", id)
                .put("revenue", revenue)
                .put("currency", "USD")
                .put("description", item);
        if (channel.equals("store")) {
            p.put("contact_point", brand + (brand.equals("salmonella") ? "-hollywood" : "-store"));
        }
        return p;
    }

    /** Day {@code day} at {@code hour} in Hollywood, where the story takes place. */
    private Instant t(int day, double hour) {
        return Scenario.local(end, day, hour, HOLLYWOOD);
    }
}
