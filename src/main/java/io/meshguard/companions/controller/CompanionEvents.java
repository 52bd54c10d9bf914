package io.meshguard.companions.controller;

/** Where the controller reports, on an entry, what it did to the entry's companions and why. */
public interface CompanionEvents {

    /** A {@code Normal} Event on {@code entry}. */
    void record(CompanionCache.EntryReference entry, String reason, String message);
}
