package fusion.store;

import fusion.core.model.Interaction;
import java.util.List;
import java.util.function.Consumer;

/**
 * The scored interactions the log implies, for whoever keeps state of their own in step with the
 * store (live journey statistics, customer values): all of them once, then each committed batch's.
 */
public interface Interactions {

    /**
     * Every scored interaction in log order (the order they arrived in, which live consumers saw),
     * attributed to the profile each event belongs to now (after merges), up to the log's end when
     * the call began. The SQL store reads it in pages, each a short read of its own, so a merge
     * committed meanwhile may show in later pages only; its batch reaches the listeners as
     * {@code merged}.
     */
    void forEachInteraction(Consumer<Interaction> consumer);

    /** Tells {@code listener} about every committed batch's interactions, and when the state was rebuilt. */
    void listen(Listener listener);

    /** Someone keeping state of their own in step with the store (live journey statistics). */
    interface Listener {
        /**
         * A batch committed: its scored interactions in log order, and whether it merged profiles
         * (interactions seen earlier under an absorbed profile now belong to the survivor).
         * Called under the writer's lock: be quick.
         */
        void committed(List<Interaction> interactions, boolean merged);

        /** The derived state was rebuilt (after an erasure): start again from {@link #forEachInteraction}. */
        void rebuilt();
    }
}
