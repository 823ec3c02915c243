package fusion.core.identity;

import java.util.List;
import java.util.Optional;

/** Read access to the identity graph as it stands before the call being resolved. */
public interface IdentityLookup {
    Optional<String> profileOf(Identity identity);

    List<Identity> identitiesOf(String profile);
}
