package fusion.store;

import java.util.List;
import java.util.Optional;

/**
 * Actions a brand declared (a campaign, a price change), kept beside the log rather than derived
 * from it: replay leaves them alone.
 */
public interface BrandActions {

    /** Stores a declared brand action and returns it with its id. */
    BrandAction declareAction(BrandAction action);

    /** The brand's declared actions, earliest start first. */
    List<BrandAction> actions(String brand);

    /** One of the brand's declared actions. */
    Optional<BrandAction> action(String brand, long id);
}
