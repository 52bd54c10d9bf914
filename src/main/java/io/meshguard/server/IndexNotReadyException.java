package io.meshguard.server;

/** A review arrived before the informers listed the cluster: answering it could allow a collision. */
public class IndexNotReadyException extends RuntimeException {

    public IndexNotReadyException() {
        super("meshguard has not finished listing the cluster's ServiceEntries; the webhook's failurePolicy decides");
    }
}
