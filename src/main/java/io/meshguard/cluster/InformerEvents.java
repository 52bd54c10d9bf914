package io.meshguard.cluster;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/** Informer callbacks in the two shapes meshguard uses: the object now there, and the object gone. */
public final class InformerEvents {

    private InformerEvents() {
    }

    public static <T> ResourceEventHandler<T> upsertOrDelete(Consumer<T> upsert, Consumer<T> delete) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                upsert.accept(object);
            }

            @Override
            public void onUpdate(T before, T after) {
                upsert.accept(after);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                delete.accept(object);
            }
        };
    }

    /** One callback for any change: for watchers that re-read what they need by key. */
    public static <T> ResourceEventHandler<T> anyChange(Consumer<T> changed) {
        return upsertOrDelete(changed, changed);
    }

    /**
     * One callback for every version a change involves: the new object, the gone object, and on an update both
     * the old and the new, for watchers whose interest follows a field that the update may have changed.
     */
    public static <T> ResourceEventHandler<T> eachVersion(Consumer<T> version) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                version.accept(object);
            }

            @Override
            public void onUpdate(T before, T after) {
                version.accept(before);
                version.accept(after);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                version.accept(object);
            }
        };
    }
}
