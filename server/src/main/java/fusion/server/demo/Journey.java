package fusion.server.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.server.demo.Scenario.Emitter;
import fusion.server.demo.Scenario.Person;
import fusion.server.demo.Scenario.Who;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One consumer's 60 days (seed 003's customer incidence): first seen anonymously on the web,
 * signing up (the concert's free ticket is a reason to), maybe a second device merged later,
 * sessions of research on web, app, store or from an email, purchases at the researched brand or
 * its competitor, deliveries (some failed), returns picked up by the courier, support cases (some
 * slow, reopened, rude or delightful), reviews, brewline membership renewals or a cancellation, a
 * dinner at salmonella. Bad experiences at a brand make leaving it likelier, as they would.
 */
final class Journey {
    private static final Map<String, String> RIVAL = Map.of("glitter", "rivalwear", "brewline", "beanhouse");
    private static final Map<String, List<String>> ITEMS = Map.of(
            "glitter",
                    List.of(
                            "one-shoulder glitter sweater",
                            "sequin skirt",
                            "denim jacket",
                            "silk scarf",
                            "party dress",
                            "wool coat"),
            "rivalwear", List.of("denim jacket", "cargo trousers", "oversized hoodie", "leather boots"),
            "brewline", List.of("single-origin beans", "espresso blend", "decaf beans", "milk frother"),
            "beanhouse", List.of("latte to go", "house blend beans", "cold brew"));
    private static final Map<String, List<String>> TROUBLES = Map.of(
            "glitter",
                    List.of(
                            "wrong size delivered",
                            "zip broke after a week",
                            "where is my order",
                            "refund not received"),
            "brewline",
                    List.of(
                            "beans arrived stale",
                            "charged twice this month",
                            "how do I pause my membership",
                            "delivery slot missed"));
    private static final String[] SUPPORT_CHANNELS = {"chat", "chat", "phone", "email", "messaging"};
    private static final Duration SIGN_UP = Duration.ofMinutes(4);
    private static final ZoneId HOLLYWOOD = ZoneId.of("America/Los_Angeles");

    private final Emitter out;
    private final Story story;
    private final Person p;
    private final Random r;
    private final Instant end;
    private final Instant firstVisit;
    private final int signUpDay;
    private final Instant identifiedAt;
    private final Instant appAt;
    /** When bad experiences happened, per brand: failed deliveries, reopened tickets, rude staff. */
    private final Map<String, List<Instant>> troubles = new HashMap<>();

    private int orders;
    private int tickets;

    Journey(Emitter out, Story story, Person p, Random r, Instant end) {
        this.out = out;
        this.story = story;
        this.p = p;
        this.r = r;
        this.end = end;
        this.firstVisit = at(p.firstDay());
        this.signUpDay = signUpDay();
        this.identifiedAt = p.identifies() ? signUpTime() : null;
        this.appAt = p.appUser() && identifiedAt != null
                ? identifiedAt.plus(Duration.ofDays(3 + r.nextInt(18))).plusSeconds(r.nextInt(36_000))
                : null;
    }

    void live() {
        if (identifiedAt != null) signUp();
        session(firstVisit, "web", who("web", firstVisit));
        if (appAt != null) installApp();
        for (int d = p.firstDay() + gap(); d <= 0; d += gap()) {
            if (d > lapseDay()) break; // they have stopped coming: "died", in buy-till-you-die terms
            Instant at = at(d);
            String device = device(at);
            session(at, device, who(device, at));
        }
        if (p.attends()) concert();
        if (p.member()) membership();
        if (p.diner() && identifiedAt != null) dinner();
    }

    /** Signing up comes within days of the first visit, or just before the concert to get a free ticket. */
    private int signUpDay() {
        if (p.returning()) return p.firstDay();
        int d = Math.min(0, p.firstDay() + r.nextInt(9));
        return p.attends() ? Math.min(d, Math.max(p.firstDay(), Story.CONCERT_DAY - 2)) : d;
    }

    private Instant signUpTime() {
        if (p.returning()) return firstVisit.minusSeconds(30);
        Instant at = at(signUpDay);
        // on the day of the first visit, after it
        return at.isAfter(firstVisit) ? at : firstVisit.plusSeconds(900 + r.nextInt(6000));
    }

    /** A new account, or a returning customer logging in; either way the browser becomes the person's. */
    private void signUp() {
        if (!p.returning()) {
            out.page(Who.anon(p.webAnon()), "Create account", "/account/new", ownBrand(), identifiedAt.minus(SIGN_UP));
        }
        // identify with the browser's anonymous id links the earlier anonymous visits to the person
        // with the sign-up form's consent boxes: about four in ten accept marketing, six in ten
        // personalisation (chosen from the person's id, so the seeded event sequence is unchanged)
        int h = Math.floorMod(p.userId().hashCode(), 10);
        traits(out.identify(new Who(p.userId(), p.webAnon()), identifiedAt, h < 4, h < 6));
    }

    /** The app starts anonymous on a new device; logging in merges that device's profile. */
    private void installApp() {
        String brand = ownBrand();
        Who device = Who.anon(p.appAnon());
        out.screen(device, "Welcome", brand, appAt);
        out.screen(device, "New in", brand, appAt.plusSeconds(40));
        Instant login = appAt.plusSeconds(120 + r.nextInt(300));
        if (p.alias()) {
            out.alias(p.appAnon(), p.userId(), login);
            traits(out.identify(Who.user(p.userId()), login.plusSeconds(1)));
        } else {
            traits(out.identify(new Who(p.userId(), p.appAnon()), login));
        }
        out.track(new Who(p.userId(), p.appAnon()), "Application Opened", login.plusSeconds(5), brand);
    }

    private void traits(ObjectNode t) {
        t.put("name", p.name())
                .put("email", p.email())
                .put("preferred_channel", p.preferred())
                .put("timezone", p.zone().getId());
    }

    private void session(Instant at, String device, Who who) {
        boolean known = who.userId() != null;
        String own = r.nextDouble() < p.fashion() ? "glitter" : "brewline";
        String brand = r.nextDouble() < 0.15 ? RIVAL.get(own) : own;
        if (known && device.equals("web") && r.nextDouble() < 0.15) {
            // a campaign email brought them here: the brand started this contact
            out.track(Who.user(p.userId()), "Email Opened", at.minusSeconds(600), own)
                    .put("campaign", "weekly-news");
            out.track(Who.user(p.userId()), "Email Link Clicked", at.minusSeconds(30), own)
                    .put("campaign", "weekly-news");
        }
        research(who, device, brand, at);
        if (r.nextDouble() < 0.03) {
            // more research under Segment's standard names (docs/SEGMENT.md maps both)
            out.track(
                            who,
                            r.nextBoolean() ? "Product Added to Wishlist" : "Product List Filtered",
                            at.plusSeconds(200),
                            brand)
                    .put("channel", device);
        }
        if (!known) return;
        if (r.nextDouble() < 0.02) {
            out.track(who, "Product Shared", at.plusSeconds(260), brand)
                    .put("channel", "social")
                    .put("reach", 50 + r.nextInt(900))
                    .put("sentiment", 0.6);
        }
        maybeBuy(who, device, brand, own, at.plusSeconds(300 + r.nextInt(1500)));
        if (!Scenario.COMPETITORS.contains(brand) && r.nextDouble() < 0.04) {
            ticket(
                    brand,
                    TROUBLES.get(brand).get(r.nextInt(TROUBLES.get(brand).size())),
                    at.plus(Duration.ofHours(1 + r.nextInt(20))));
        }
    }

    private void research(Who who, String device, String brand, Instant at) {
        switch (device) {
            case "web" -> {
                out.page(who, cap(brand) + " - New in", "/" + brand + "/new-in", brand, at);
                if (r.nextDouble() < 0.35) {
                    out.track(who, "Products Searched", at.plusSeconds(20), brand)
                            .put("channel", "web")
                            .put("query", item(brand).split(" ")[0]);
                }
            }
            case "app" -> out.screen(who, "Catalogue", brand, at);
            default -> {
                /* in store: the loyalty card records what was tried on */
            }
        }
        for (int k = 0, n = r.nextDouble() < 0.45 ? 2 : 1; k < n; k++) {
            ObjectNode v = out.track(who, "Product Viewed", at.plusSeconds(45L * (k + 1)), brand)
                    .put("channel", device)
                    .put("name", item(brand))
                    .put("product_id", brand + "-" + r.nextInt(60));
            if (device.equals("store")) v.put("contact_point", brand + "-store");
        }
        if (r.nextDouble() < 0.2)
            out.track(who, "Product Added", at.plusSeconds(200), brand).put("channel", device);
    }

    /** Research here, buy here or there: the competitor wins more often after a bad experience. */
    private void maybeBuy(Who who, String device, String brand, String own, Instant at) {
        String target = brand;
        if (brand.equals(own) && r.nextDouble() < p.leak() + 0.1 * troublesBefore(own, at)) {
            target = RIVAL.get(own);
            // often researched online, bought in the competitor's shop
            if (r.nextDouble() < 0.6) device = "store";
        }
        double base = own.equals("glitter") ? 0.22 : 0.17;
        if (r.nextDouble() >= Math.min(0.9, base * appetite() * story.purchaseBoost(target, at))) return;
        order(who, device, target, at);
    }

    private void order(Who who, String device, String brand, Instant at) {
        String id = "O-" + p.index() + "-" + ++orders;
        String item = item(brand);
        double revenue = price(brand);
        boolean online = !device.equals("store");
        if (online) {
            out.track(who, "Checkout Started", at.minusSeconds(90), brand)
                    .put("channel", device)
                    .put("order_id", id);
        }
        ObjectNode o = out.track(who, "Order Completed", at, brand)
                .put("channel", device)
                .put("order_id", id)
                .put("revenue", revenue)
                .put("currency", "USD")
                .put("description", item);
        if (!online) o.put("contact_point", brand + "-store");
        if (online && !Scenario.COMPETITORS.contains(brand)) deliver(brand, id, item, revenue, at);
    }

    private void deliver(String brand, String id, String item, double revenue, Instant ordered) {
        Who me = Who.user(p.userId());
        Instant at = ordered.plus(Duration.ofHours(20 + r.nextInt(50)));
        boolean failed = r.nextDouble() < 0.05;
        if (failed) {
            out.track(me, "Delivery Failed", at, brand)
                    .put("order_id", id)
                    .put("description", "nobody home, parcel back at the depot");
            trouble(brand, at);
            if (r.nextDouble() < 0.6) ticket(brand, "where is my order", at.plus(Duration.ofHours(3)));
            at = at.plus(Duration.ofDays(1));
        }
        out.track(me, "Order Delivered", at, brand).put("order_id", id);
        if (brand.equals("glitter") && r.nextDouble() < 0.05) {
            // seed 004: a service added to the product, the courier takes the return at the door
            out.track(me, "Order Refunded", at.plus(Duration.ofDays(3)), brand)
                    .put("channel", "courier")
                    .put("order_id", id)
                    .put("revenue", revenue)
                    .put("description", "return picked up by the courier at the door");
        } else if (r.nextDouble() < 0.18) {
            int rating = failed ? 1 + r.nextInt(3) : 3 + r.nextInt(3);
            out.track(me, "Product Reviewed", at.plus(Duration.ofDays(2 + r.nextInt(5))), brand)
                    .put("channel", "web")
                    .put("rating", rating)
                    .put("order_id", id)
                    .put("description", item);
        }
        survey(me, brand, id, failed, at);
    }

    /**
     * Asking customers (seed 002): a quarter of delivered orders get a survey a day or two later,
     * NPS, CSAT and CES with three driver questions, and now and then a comment. A failed delivery
     * or earlier trouble at the brand pulls the delivery answer, and with it the rest, down. Its
     * own random stream, seeded by the order, so the rest of the scenario is unchanged by it.
     */
    private void survey(Who me, String brand, String id, boolean failed, Instant delivered) {
        Random s = new Random(31L * id.hashCode() + brand.hashCode());
        if (s.nextDouble() >= 0.25) return;
        int trouble = Math.min(3, troublesBefore(brand, delivered));
        int delivery = clamp(failed ? 1 + s.nextInt(4) : 7 + s.nextInt(4) - trouble, 1, 10);
        int price = 3 + s.nextInt(8);
        int quality = clamp(6 + s.nextInt(5) - (s.nextDouble() < 0.1 ? 4 : 0), 1, 10);
        int nps = clamp((int) Math.round(0.45 * delivery + 0.15 * price + 0.35 * quality + s.nextGaussian()), 0, 10);
        ObjectNode q = out.track(me, "Survey Answered", delivered.plus(Duration.ofHours(20 + s.nextInt(40))), brand)
                .put("channel", "email")
                .put("contact_point", brand + "-delivery")
                .put("order_id", id)
                .put("nps", nps)
                .put("csat", clamp((nps + 1) / 2, 1, 5))
                .put("ces", clamp(failed ? 5 + s.nextInt(3) : 1 + s.nextInt(3) + trouble, 1, 7));
        q.putObject("answers").put("delivery", delivery).put("price", price).put("quality", quality);
        if (failed && s.nextBoolean()) q.put("comment", "the parcel went back to the depot and nobody told me");
        else if (nps >= 9 && s.nextDouble() < 0.2) q.put("comment", "quick and friendly, as always");
    }

    private static int clamp(int v, int low, int high) {
        return Math.max(low, Math.min(high, v));
    }

    /** A support case: created, sometimes reopened on another channel, resolved well or badly. */
    private void ticket(String brand, String subject, Instant at) {
        String id = "T-" + p.index() + "-" + ++tickets;
        Who me = Who.user(p.userId());
        String channel = supportChannel();
        ObjectNode created = out.track(me, "Ticket Created", at, brand)
                .put("channel", channel)
                .put("ticket_id", id)
                .put("description", subject)
                .put("wait_seconds", waitSeconds(channel));
        if (r.nextDouble() < 0.15) created.put("consumer_politeness", "polite");
        Instant next = at.plus(Duration.ofHours(2 + r.nextInt(30)));
        if (r.nextDouble() < 0.25) {
            String again = r.nextBoolean() ? "phone" : channel;
            ObjectNode reopened = out.track(me, "Ticket Reopened", next, brand)
                    .put("channel", again)
                    .put("ticket_id", id)
                    .put("wait_seconds", 300 + r.nextInt(1500))
                    .put("channel_switches", again.equals(channel) ? 0 : 1);
            int extra = r.nextInt(3);
            // the reopen counts as one repeat contact already; these are the calls on top of it
            if (extra > 0) reopened.put("repeat_contacts", extra);
            trouble(brand, next);
            channel = again;
            next = next.plus(Duration.ofHours(4 + r.nextInt(20)));
        }
        boolean rude = r.nextDouble() < 0.06;
        ObjectNode resolved = out.track(me, "Ticket Resolved", next, brand)
                .put("channel", channel)
                .put("ticket_id", id)
                .put("staff_politeness", rude ? "rude" : "polite");
        if (rude) trouble(brand, next);
        if (!rude && r.nextDouble() < 0.12) {
            resolved.put("wow", true).put("description", "solved beyond the ask: " + subject);
        }
    }

    /** The stated preference when it is a support channel, most of the time; what is at hand otherwise. */
    private String supportChannel() {
        boolean support = List.of("chat", "phone", "email", "messaging").contains(p.preferred());
        return support && r.nextDouble() < 0.7 ? p.preferred() : SUPPORT_CHANNELS[r.nextInt(SUPPORT_CHANNELS.length)];
    }

    private int waitSeconds(String channel) {
        return switch (channel) {
            case "phone" -> 60 + r.nextInt(1500);
            case "chat", "messaging" -> 10 + r.nextInt(300);
            default -> 0;
        };
    }

    /** The concert (seed 000), and for some the glitter visit it prompts in the days after. */
    private void concert() {
        Instant concert = story.concert();
        boolean known = identifiedAt != null && identifiedAt.isBefore(concert);
        // the ticket is scanned on the phone: the person if signed up, else the browser that got the ticket
        Who who = known ? Who.user(p.userId()) : Who.anon(p.webAnon());
        story.attend(who, r);
        if (known && r.nextDouble() < 0.2) {
            out.track(who, "Product Shared", concert.plus(Duration.ofHours(2)), "glitter")
                    .put("channel", "social")
                    .put("reach", 100 + r.nextInt(3000))
                    .put("sentiment", 0.9)
                    .put("description", "posted a photo from the concert");
        }
        if (r.nextDouble() >= 0.35) return;
        Instant at = at(Story.CONCERT_DAY + 1 + r.nextInt(4));
        String device = device(at);
        Who w = who(device, at);
        research(w, device, "glitter", at);
        if (w.userId() != null) maybeBuy(w, device, "glitter", "glitter", at.plusSeconds(600));
    }

    /** brewline's club: a payment a month, beans by courier, the app in use; some leave, some for beanhouse. */
    private void membership() {
        int joinDay = signUpDay + 1 + r.nextInt(10);
        if (joinDay > -3) return;
        Who me = Who.user(p.userId());
        for (int month = 0; joinDay + 30 * month <= 0; month++) {
            Instant t = at(joinDay + 30 * month);
            int bad = troublesBefore("brewline", t);
            if (month > 0 && r.nextDouble() < 0.06 + 0.25 * bad) {
                out.track(me, "Membership Cancelled", t.minus(Duration.ofDays(2)), "brewline")
                        .put("channel", "web")
                        .put(
                                "description",
                                bad > 0 ? "cancelled after a bad experience" : "cancelled: drinking less coffee");
                if (r.nextBoolean()) order(me, "store", "beanhouse", t.plus(Duration.ofDays(2 + r.nextInt(8))));
                return;
            }
            out.track(me, "Membership Renewed", t, "brewline")
                    .put("channel", month == 0 ? "web" : "email")
                    .put("revenue", 29.0)
                    .put("plan", "monthly")
                    .put("description", month == 0 ? "joined the brewline coffee club" : "monthly renewal");
            out.track(me, "Order Delivered", t.plus(Duration.ofDays(2)), "brewline")
                    .put("description", "monthly beans");
            for (int u = 0, n = 2 + r.nextInt(3); u < n; u++) {
                Instant used = at(joinDay + 30 * month + 3 + u * 6 + r.nextInt(4));
                Who who = appAt != null && used.isAfter(appAt) ? new Who(p.userId(), p.appAnon()) : me;
                out.track(who, "Product Used", used, "brewline")
                        .put("feature", r.nextBoolean() ? "brew scheduler" : "recipe");
            }
        }
    }

    /** Once, at salmonella; some diners are polite to the waiter (seed 004), some review. */
    private void dinner() {
        int d = p.firstDay() + r.nextInt(Math.max(1, -p.firstDay()));
        // in Hollywood, wherever the diner lives
        Instant at = Scenario.local(end, Math.min(d, 0), 20 + r.nextDouble() * 2, HOLLYWOOD);
        if (at.isBefore(identifiedAt)) return;
        Who me = Who.user(p.userId());
        ObjectNode o = out.track(me, "Order Completed", at, "salmonella")
                .put("channel", "store")
                .put("contact_point", "salmonella-hollywood")
                .put("revenue", (double) (35 + r.nextInt(110)))
                .put("description", "dinner at salmonella");
        if (r.nextDouble() < 0.4) o.put("consumer_politeness", "polite");
        if (r.nextBoolean()) {
            out.track(me, "Product Reviewed", at.plus(Duration.ofHours(14)), "salmonella")
                    .put("channel", "web")
                    .put("rating", 2 + r.nextInt(4));
        }
    }

    private void trouble(String brand, Instant at) {
        troubles.computeIfAbsent(brand, b -> new ArrayList<>()).add(at);
    }

    private int troublesBefore(String brand, Instant at) {
        return (int) troubles.getOrDefault(brand, List.of()).stream()
                .filter(t -> t.isBefore(at))
                .count();
    }

    private String device(Instant at) {
        if (identifiedAt == null || at.isBefore(identifiedAt)) return "web";
        double roll = r.nextDouble();
        if (appAt != null && at.isAfter(appAt.plus(Duration.ofMinutes(10))) && roll < 0.55) return "app";
        return roll > 0.86 ? "store" : "web";
    }

    /** Before signing up only the browser's anonymous id is known; after, the device sends both. */
    private Who who(String device, Instant at) {
        boolean known = identifiedAt != null && !at.isBefore(identifiedAt);
        return switch (device) {
            case "app" -> new Who(p.userId(), p.appAnon());
            case "store" -> Who.user(p.userId());
            default -> known ? new Who(p.userId(), p.webAnon()) : Who.anon(p.webAnon());
        };
    }

    private String ownBrand() {
        return p.fashion() >= 0.5 ? "glitter" : "brewline";
    }

    /** Days to the next session: geometric around the person's mean gap, at least one. */
    /**
     * How much more or less than the average this person buys when they visit: exponential with
     * mean 1 (a gamma of shape 1, the spread buy-till-you-die models assume), taken from the
     * person's id so the seeded sequence of draws is not disturbed.
     */
    private double appetite() {
        return -Math.log(1 - unit(1));
    }

    /** The day after which this person stops coming: for about a third, some day of the period; else never. */
    private int lapseDay() {
        if (unit(2) >= 0.35) return Integer.MAX_VALUE;
        return p.firstDay() + (int) (unit(3) * -p.firstDay());
    }

    /** A uniform number in (0, 1) fixed by the person's id and {@code k}. */
    private double unit(int k) {
        return (Math.floorMod((p.userId() + "#" + k).hashCode(), 1_000_003) + 0.5) / 1_000_003.0;
    }

    private int gap() {
        return 1 + (int) (-Math.log(1 - r.nextDouble()) * (p.meanGap() - 1));
    }

    /** A time on day {@code d}: mostly evenings, sometimes daytime, in the person's time zone. */
    private Instant at(int d) {
        double hour = r.nextDouble() < 0.6 ? 18 + 5 * r.nextDouble() : 8 + 10 * r.nextDouble();
        return Scenario.local(end, d, hour, p.zone());
    }

    private String item(String brand) {
        List<String> items = ITEMS.get(brand);
        return items.get(r.nextInt(items.size()));
    }

    private double price(String brand) {
        double base = switch (brand) {
            case "glitter" -> 30 + r.nextInt(190);
            case "rivalwear" -> 25 + r.nextInt(150);
            case "brewline" -> 12 + r.nextInt(34);
            default -> 4 + r.nextInt(30);
        };
        return base + (r.nextBoolean() ? 0.99 : 0.0);
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
