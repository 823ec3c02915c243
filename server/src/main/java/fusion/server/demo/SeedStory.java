package fusion.server.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * The demo's stories. Seed 000: glitter hosts an open-air concert (day -30); the pop artist wears
 * glitter's sweater on stage and gains 100k followers; glitter's sales rise for two weeks; a week
 * later (day -23) the artist, still in the sweater, tweets blaming a restaurant's waitstaff for a
 * bad salmon dish. A passive influencer is seen in rivalwear, and rivalwear sells a little more the
 * week after. And demo-alice, a customer whose trajectory crosses every channel: a failed delivery
 * put right by a Plan B, a video-valet call, a membership, research here and a purchase there.
 */
final class SeedStory {
    private final Messages m;
    private final Instant end;
    private final Instant concert;
    private final List<Instant> quietcoolSeen;

    SeedStory(Messages m, Instant end) {
        this.m = m;
        this.end = end;
        this.concert = day(-30).plus(Duration.ofHours(20));
        this.quietcoolSeen = List.of(day(-52), day(-38), day(-12));
    }

    Instant concert() {
        return concert;
    }

    boolean attends(Random r, Instant joined) {
        return joined.isBefore(concert) && r.nextDouble() < 0.4;
    }

    void attend(String user, String anon, Instant identified, Random r) {
        Instant at = concert.plusSeconds(r.nextInt(3600));
        var e = m.track(user, user == null ? anon : null, "Event Attended", at);
        var p = (com.fasterxml.jackson.databind.node.ObjectNode) e.get("properties");
        p.put("brand", "glitter").put("value_received", 1.0).put("contact_point", "open-air-concert")
                .put("description", "glitter's open-air concert in the park");
        p.putArray("co_parties").add("popstar");
    }

    /** How much likelier a purchase is at {@code brand} at {@code at} than usual. */
    double salesBoost(String brand, Instant at) {
        if (brand.equals("glitter") && at.isAfter(concert) && at.isBefore(concert.plus(Duration.ofDays(14)))) {
            return 1.8;
        }
        if (brand.equals("rivalwear")) {
            for (Instant seen : quietcoolSeen) {
                if (at.isAfter(seen) && at.isBefore(seen.plus(Duration.ofDays(7)))) return 1.3;
            }
        }
        return 1.0;
    }

    void write(Random r) {
        popstar();
        quietcool();
        alice(r);
    }

    private void popstar() {
        m.identify("popstar", null, day(-58), "name", "Pop Star", "role", "influencer", "followers", 1_200_000);
        m.track("popstar", "Brand Mentioned", day(-45), "brand", "glitter", "purpose", "advocacy", "sentiment", 0.8,
                "reach", 1_100_000L, "description", "posted a photo in glitter's new collection");
        m.track("popstar", "Product Worn", concert.plusSeconds(1800), "brand", "glitter", "reach", 1_200_000L,
                "followers_gained", 100_000L, "contact_point", "open-air-concert",
                "description", "wore the brand's sweater at the concert");
        m.track("popstar", "Order Completed", day(-24).plus(Duration.ofHours(21)), "brand", "salmonella",
                "channel", "store", "revenue", 240, "description", "dinner at the restaurant",
                "co_parties", List.of("glitter"));
        m.track("popstar", "Brand Mentioned", day(-23).plus(Duration.ofHours(9)), "brand", "salmonella",
                "purpose", "complaint", "channel", "social", "sentiment", -0.9, "consumer_politeness", "rude",
                "need_met", false, "reach", 1_300_000L, "co_parties", List.of("glitter"),
                "description", "tweeted blaming the waitstaff for a bad salmon dish");
    }

    private void quietcool() {
        m.identify("quietcool", null, day(-59), "name", "Quiet Cool", "role", "influencer");
        for (Instant seen : quietcoolSeen) {
            m.track("quietcool", "Product Worn", seen.plus(Duration.ofHours(19)), "brand", "rivalwear",
                    "competitor", true, "description", "seen wearing rivalwear at a gallery opening");
        }
    }

    private void alice(Random r) {
        String a = "demo-alice";
        String anon = "anon-alice";
        Instant t = day(-50).plus(Duration.ofHours(10));
        m.page(null, anon, "Glitter home", "/glitter", "glitter", t);
        ((com.fasterxml.jackson.databind.node.ObjectNode) m.track(null, anon, "Products Searched", t.plusSeconds(30))
                .get("properties")).put("brand", "glitter");
        m.identify(a, anon, t.plusSeconds(600), "name", "Alice Demo", "email", "alice@example.com",
                "preferred_channel", "chat", "timezone", "Europe/Rome");
        m.track(a, "Order Completed", day(-48).plus(Duration.ofHours(11)), "brand", "glitter", "channel", "web",
                "revenue", 180, "description", "one-shoulder glitter sweater");
        m.track(a, "Delivery Failed", day(-46).plus(Duration.ofHours(15)), "brand", "glitter",
                "description", "courier lost the parcel");
        m.track(a, "Ticket Created", day(-46).plus(Duration.ofHours(16)), "brand", "glitter", "channel", "phone",
                "wait_seconds", 1200, "description", "where is my sweater?");
        m.track(a, "Ticket Reopened", day(-45).plus(Duration.ofHours(9)), "brand", "glitter", "channel", "chat",
                "channel_switches", 1, "description", "asked again on chat");
        m.track(a, "Ticket Resolved", day(-45).plus(Duration.ofHours(10)), "brand", "glitter", "channel", "courier",
                "wow", true, "staff_politeness", "polite", "consumer_politeness", "polite",
                "description", "Plan B: a replacement sweater couriered the same day");
        m.track(a, "Product Reviewed", day(-40), "brand", "glitter", "rating", 5, "channel", "web",
                "description", "saved my weekend");
        Instant joined = day(-44);
        for (int month = 0; joined.plus(Duration.ofDays(30L * month)).isBefore(end); month++) {
            m.track(a, "Membership Renewed", joined.plus(Duration.ofDays(30L * month)), "brand", "brewline",
                    "channel", "app", "revenue", 30);
        }
        attend(a, null, null, r);
        m.track(a, "Product Viewed", day(-10).plus(Duration.ofHours(20)), "brand", "glitter", "channel", "app");
        m.track(a, "Product Viewed", day(-9).plus(Duration.ofHours(12)), "brand", "glitter", "channel", "store");
        DemoScenario.purchase(m, r, a, "rivalwear", day(-9).plus(Duration.ofHours(18)));
        m.track(a, "Video Call Completed", day(-5).plus(Duration.ofHours(17)), "brand", "glitter", "need_met", true,
                "wow", true, "description", "video-valet fitting for a party dress");
    }

    private Instant day(int d) {
        return end.plus(Duration.ofDays(d)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    }
}
