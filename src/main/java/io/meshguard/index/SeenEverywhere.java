package io.meshguard.index;

import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.listener.ChainConflict;
import io.meshguard.mesh.listener.ListenerProtocol;
import io.meshguard.mesh.listener.ServiceOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The occupants of one listener key that every namespace sees, filed for a review that asks which of thousands can
 * matter without visiting each: those that look past equal matches, those whose chain matches every destination,
 * and the rest per listener protocol in the order their entries first reach the listener
 * ({@link ServiceOrder#BY_FIRST_SERVICE}), so that the first of a protocol is found at the head.
 */
public final class SeenEverywhere {

    static final SeenEverywhere NONE = new SeenEverywhere();

    private static final int PROTOCOLS = ListenerProtocol.values().length;

    private final List<Occupant> all = new ArrayList<>(1);
    private List<Occupant>[] inOrder;
    private List<Occupant> beyondMatch;
    private List<Occupant> catchAll;

    /** Every one, in the order they were filed. */
    public List<Occupant> all() {
        return Collections.unmodifiableList(all);
    }

    /** Those that look past equal matches ({@link Occupant#beyondMatch}). */
    public List<Occupant> beyondMatch() {
        return beyondMatch == null ? List.of() : Collections.unmodifiableList(beyondMatch);
    }

    /** Those one of whose chains matches every destination ({@link ChainConflict#MATCH_ALL}). */
    public List<Occupant> catchAll() {
        return catchAll == null ? List.of() : Collections.unmodifiableList(catchAll);
    }

    /** Those served as {@code protocol} that do not look past equal matches, first services first. */
    public List<Occupant> inFirstServiceOrder(ListenerProtocol protocol) {
        List<Occupant> list = inOrder == null ? null : inOrder[protocol.ordinal()];
        return list == null ? List.of() : Collections.unmodifiableList(list);
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    @SuppressWarnings("unchecked")
    void add(Occupant occupant) {
        all.add(occupant);
        if (occupant.matches().contains(ChainConflict.MATCH_ALL)) {
            catchAll = added(catchAll, occupant);
        }
        if (occupant.beyondMatch()) {
            beyondMatch = added(beyondMatch, occupant);
            return;
        }
        if (inOrder == null) {
            inOrder = new List[PROTOCOLS];
        }
        int served = occupant.port().istioProtocol().listenerProtocol().ordinal();
        List<Occupant> list = inOrder[served];
        if (list == null) {
            list = inOrder[served] = new ArrayList<>(1);
        }
        list.add(after(list, occupant), occupant);
    }

    /** Where {@code occupant} goes: after every one that does not come later, so that ties keep their filing order. */
    private static int after(List<Occupant> list, Occupant occupant) {
        int low = 0;
        int high = list.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (ServiceOrder.BY_FIRST_SERVICE.compare(list.get(middle).entry(), occupant.entry()) <= 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /**
     * Takes out the occupant of the same entry (by identity) as {@code occupant}, computed again from it: it is in
     * the lists {@link #add} put it in. Whether there was one.
     */
    boolean remove(Occupant occupant) {
        ServiceEntryFacts entry = occupant.entry();
        if (!all.removeIf(o -> o.entry() == entry)) {
            return false;
        }
        if (occupant.matches().contains(ChainConflict.MATCH_ALL)) {
            catchAll.removeIf(o -> o.entry() == entry);
        }
        if (occupant.beyondMatch()) {
            beyondMatch.removeIf(o -> o.entry() == entry);
        } else {
            inOrder[occupant.port().istioProtocol().listenerProtocol().ordinal()].removeIf(o -> o.entry() == entry);
        }
        return true;
    }

    private static List<Occupant> added(List<Occupant> list, Occupant occupant) {
        List<Occupant> to = list == null ? new ArrayList<>(1) : list;
        to.add(occupant);
        return to;
    }
}
