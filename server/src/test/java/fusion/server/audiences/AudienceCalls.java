package fusion.server.audiences;

import fusion.core.segment.SegmentCall;
import fusion.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** What the audience tests send, and a store whose walks of the log are counted. */
final class AudienceCalls {
    private AudienceCalls() {}

    /** A call of {@code type}, sent and stamped at {@code at}, with {@code properties} (ignored but for a track). */
    static SegmentCall call(
            SegmentCall.Type type,
            String message,
            String user,
            String anonymous,
            String event,
            Map<String, Object> properties,
            Instant at) {
        return new SegmentCall(
                type,
                message,
                user,
                anonymous,
                event,
                null,
                null,
                null,
                type == SegmentCall.Type.TRACK ? properties : Map.of(),
                Map.of(),
                Map.of(),
                at,
                at);
    }

    /** A track call of {@code user}'s worth 10 in revenue. */
    static SegmentCall track(String message, String user, String event, Instant at) {
        return call(SegmentCall.Type.TRACK, message, user, null, event, Map.of("revenue", 10), at);
    }

    /** {@code store}, with each walk of the log ({@code forEachInteraction}) counted in {@code walks}. */
    static Store countingWalks(Store store, AtomicInteger walks) {
        return (Store) Proxy.newProxyInstance(
                Store.class.getClassLoader(), new Class<?>[] {Store.class}, (proxy, m, args) -> {
                    if (m.getName().equals("forEachInteraction")) walks.incrementAndGet();
                    try {
                        return m.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
