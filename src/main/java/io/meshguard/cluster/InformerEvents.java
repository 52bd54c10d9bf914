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
}
