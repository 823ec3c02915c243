package fusion.decisions.delivery;

import java.net.URI;
import java.util.Objects;

/** Where one channel's decisions go, and the secret they are signed with. */
public record WebhookEndpoint(URI url, String secret) {
    public WebhookEndpoint {
        Objects.requireNonNull(url, "url");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("webhook url: expected http or https but was '" + url + "'");
        }
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("webhook secret for " + url + ": expected at least 16 characters");
        }
    }

    /** Hides the secret, so endpoints can be logged. */
    @Override
    public String toString() {
        return "WebhookEndpoint[url=" + url + ", secret=***]";
    }
}
