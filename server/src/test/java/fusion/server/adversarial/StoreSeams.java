package fusion.server.adversarial;

import fusion.store.Access;
import fusion.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/** A real store seen through a seam, for a server started over it the way {@code ./fusion serve} starts one. */
final class StoreSeams {
    private StoreSeams() {}

    /** {@code store} whose credentials and audit table are {@code access}. */
    static Store withAccess(Store store, Access access) {
        return seam(store, "access", access);
    }

    /** {@code store} that a server cannot close: the test closes it (two servers may share it). */
    static Store unowned(Store store) {
        return seam(store, "close", null);
    }

    private static Store seam(Store store, String method, Object answer) {
        return (Store) Proxy.newProxyInstance(
                Store.class.getClassLoader(), new Class<?>[] {Store.class}, (proxy, m, args) -> {
                    if (m.getName().equals(method) && m.getParameterCount() == 0) return answer;
                    try {
                        return m.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
