package io.meshguard.admission;

/** A review arrived before meshguard could judge it (the index has not listed the cluster yet): 503. */
public class NotReadyException extends RuntimeException {

    public NotReadyException(String message) {
        super(message);
    }
}
