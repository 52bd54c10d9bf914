package io.meshguard.rules;

import io.meshguard.mesh.EntryKey;
import java.util.List;

/**
 * What a rule found about the entry under review.
 *
 * @param message the whole story, for a denial's status message
 * @param summary at most about 256 characters, for {@code response.warnings}: the API server may truncate longer ones
 * @param code stable identifier, used in metrics and in {@code status.details.causes}
 * @param field the JSON path in the entry that the finding is about
 * @param other the other ServiceEntry involved, or null
 * @param port the port involved, or 0
 */
public record Finding(
        String code, Severity severity, String field, String message, String summary, EntryKey other, int port,
        List<Cause> causes) {

    public Finding {
        causes = List.copyOf(causes);
    }

    public static Finding warning(String code, String field, String message) {
        return new Finding(code, Severity.WARN, field, message, message, null, 0, List.of());
    }

    /** Findings with the same identity describe the same problem, whatever version of the entry they came from. */
    public String identity() {
        return code + "|" + other + "|" + port;
    }

    public Finding demotedToWarning(String prefix) {
        return new Finding(code, Severity.WARN, field, prefix + message, prefix + summary, other, port, causes);
    }
}
