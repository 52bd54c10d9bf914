package io.meshguard.decode;

/** The object under review does not have the shape meshguard needs; the message names the field. */
public class MalformedObjectException extends RuntimeException {

    public MalformedObjectException(String message) {
        super(message);
    }
}
