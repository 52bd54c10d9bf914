package io.meshguard.rules;

import io.meshguard.mesh.EntryKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A listener finding's identity (code, other entry, port) as one number, for a review or an audit that counts the
 * findings an entry has past those it describes: exact, and eight bytes each instead of an object.
 */
final class FindingNumbers {

    private static final List<String> CODES = List.of(OutboundListenerRule.COLLISION,
            OutboundListenerRule.WELL_KNOWN_PORT, OutboundListenerRule.HTTP_PROXY, OutboundListenerRule.PREFIX_SHADOW,
            OutboundListenerRule.HOST_COLLISION, OutboundListenerRule.DUPLICATE_HOST, OutboundListenerRule.SNIFFING);
    private static final long NO_ENTRY = 0xFFFF_FFFFL;

    private final Map<EntryKey, Integer> numbers = new HashMap<>();
    private final List<EntryKey> keys = new ArrayList<>();

    long number(ListenerFindings.GroupKey key) {
        int code = CODES.indexOf(key.code());
        if (code < 0 || key.port() < 0 || key.port() > 0xFFFF) {
            throw new IllegalArgumentException("not a listener finding: " + key);
        }
        Integer other = key.other() == null ? null : numbers.computeIfAbsent(key.other(), k -> {
            keys.add(k);
            return keys.size() - 1;
        });
        return ((long) code << 48) | ((long) key.port() << 32) | (other == null ? NO_ENTRY : other);
    }

    ListenerFindings.GroupKey key(long number) {
        long other = number & NO_ENTRY;
        return new ListenerFindings.GroupKey(CODES.get((int) (number >>> 48)), other == NO_ENTRY ? null
                : keys.get((int) other), (int) ((number >>> 32) & 0xFFFF));
    }
}
