package io.meshguard.index;

/**
 * How many occupants of one listener key serve each listener protocol, and how many take part in a mechanism
 * that looks past equal chain matches ({@link io.meshguard.mesh.listener.ListenerFootprint#beyondMatch}).
 */
public record ListenerMix(int http, int tcp, int auto, int beyondMatch) {

    public static final ListenerMix EMPTY = new ListenerMix(0, 0, 0, 0);
}
