package fusion.core.segment;

import static fusion.core.segment.EventDefaults.of;
import static fusion.core.segment.EventMapping.named;

import fusion.core.model.Channel;
import fusion.core.model.Need;
import fusion.core.model.Purpose;
import java.util.ArrayList;
import java.util.List;

/**
 * The default meaning of Segment's standard e-commerce (spec v2) and support event names, plus a
 * few for brand life (events attended, mentions, renewals). docs/SEGMENT.md shows the same
 * table; any event's properties can override every default.
 */
public final class StandardEvents {
    private StandardEvents() {}

    public static List<EventMapping> all() {
        List<EventMapping> m = new ArrayList<>();
        for (String research : List.of(
                "Products Searched",
                "Product List Viewed",
                "Product List Filtered",
                "Product Viewed",
                "Product Clicked",
                "Product Added to Wishlist",
                "Product Removed",
                "Cart Viewed",
                "Product Added",
                "Question Asked")) {
            m.add(named(research, of(Purpose.RESEARCH)));
        }
        for (String seen : List.of("Promotion Viewed", "Promotion Clicked")) {
            m.add(named(seen, of(Purpose.RESEARCH).initiatedByBrand()));
        }
        for (String checkout : List.of(
                "Checkout Started",
                "Checkout Step Viewed",
                "Checkout Step Completed",
                "Payment Info Entered",
                "Coupon Entered",
                "Coupon Applied",
                "Order Updated")) {
            m.add(named(checkout, of(Purpose.PURCHASE)));
        }
        m.add(named("Order Completed", of(Purpose.PURCHASE).settles(Need.MET)));
        m.add(named("Order Refunded", of(Purpose.SERVICE).returnsMoney()));
        m.add(named("Order Cancelled", of(Purpose.SERVICE)));
        m.add(named(
                "Order Delivered",
                of(Purpose.SERVICE).initiatedByBrand().on(Channel.COURIER).settles(Need.MET)));
        m.add(named(
                "Delivery Failed",
                of(Purpose.SERVICE).initiatedByBrand().on(Channel.COURIER).settles(Need.FAILED)));
        m.add(named("Product Reviewed", of(Purpose.COMMENTARY)));
        m.add(named("Feedback Submitted", of(Purpose.COMMENTARY)));
        m.add(named("Idea Submitted", of(Purpose.COMMENTARY)));
        // the ideas stream (docs/IDEAS.md): a vote for an idea, and an idea's status as the brand sets
        // it, one call per contributor, carrying the credit (value_received) adopting or shipping gives
        m.add(named("Idea Voted", of(Purpose.COMMENTARY)));
        m.add(named("Idea Status Changed", of(Purpose.SERVICE).initiatedByBrand()));
        m.add(named("Brand Mentioned", of(Purpose.COMMENTARY).on(Channel.SOCIAL)));
        m.add(named("Product Shared", of(Purpose.ADVOCACY)));
        m.add(named("Cart Shared", of(Purpose.ADVOCACY)));
        m.add(named("Product Worn", of(Purpose.ADVOCACY).on(Channel.EVENT)));
        // a brand sponsoring the party: announced, so a public tie by nature (docs/SCORING.md)
        m.add(named(
                "Sponsorship Started", of(Purpose.ADVOCACY).initiatedByBrand().on(Channel.EVENT)));
        for (String complaint : List.of("Complaint Submitted", "Ticket Created", "Support Ticket Created")) {
            m.add(named(complaint, of(Purpose.COMPLAINT)));
        }
        m.add(named("Ticket Resolved", of(Purpose.SERVICE).initiatedByBrand().settles(Need.MET)));
        m.add(named("Ticket Reopened", of(Purpose.SERVICE).settles(Need.FAILED).repeats()));
        m.add(named("Live Chat Started", of(Purpose.SERVICE).on(Channel.CHAT)));
        m.add(named("Support Call Completed", of(Purpose.SERVICE).on(Channel.PHONE)));
        m.add(named("Video Call Completed", of(Purpose.SERVICE).on(Channel.VIDEO)));
        // asking customers: NPS, CSAT, CES, driver questions and free text (docs/MODELS-CAUSAL.md, "Surveys")
        m.add(named("Survey Answered", of(Purpose.COMMENTARY)));
        for (String renewal : List.of("Subscription Renewed", "Membership Renewed")) {
            m.add(named(renewal, of(Purpose.RENEWAL).settles(Need.MET)));
        }
        for (String cancelled : List.of("Subscription Cancelled", "Membership Cancelled")) {
            m.add(named(cancelled, of(Purpose.SERVICE)));
        }
        for (String usage : List.of("Application Opened", "Product Used", "Feature Used")) {
            m.add(named(usage, of(Purpose.USAGE).on(Channel.PRODUCT_USAGE)));
        }
        m.add(named("Event Attended", of(Purpose.USAGE).on(Channel.EVENT).gives(1.0)));
        for (String email : List.of("Email Opened", "Email Link Clicked")) {
            m.add(named(email, of(Purpose.RESEARCH).initiatedByBrand().on(Channel.EMAIL)));
        }
        m.add(named(
                "Push Notification Opened",
                of(Purpose.RESEARCH).initiatedByBrand().on(Channel.APP)));
        // a decision's outcome as its receiver reports it (POST /v1/outcomes); the call's properties
        // carry purpose, channel, need and sentiment by action type, see docs/DECISIONS.md
        m.add(named("Decision Delivered", of(Purpose.SERVICE).initiatedByBrand()));
        for (String answered : List.of("Decision Opened", "Decision Accepted", "Decision Declined")) {
            m.add(named(answered, of(Purpose.SERVICE)));
        }
        return List.copyOf(m);
    }
}
