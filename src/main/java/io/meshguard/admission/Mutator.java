package io.meshguard.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.rules.Finding;
import java.util.List;

/**
 * Changes one kind of object on CREATE and UPDATE. A mutator edits {@code draft}, a copy of the object as sent;
 * the route diffs the request's raw JSON against the draft once, after every mutator ran, so the patch touches
 * only what changed and "no change" is "no patch".
 */
@FunctionalInterface
public interface Mutator<T> {

    /**
     * @param object the object as read, before any mutator ran
     * @param draft the object's JSON, to edit in place
     * @return warnings for the user (counted by code in the metrics)
     */
    List<Finding> mutate(AdmissionRequestView request, T object, ObjectNode draft);
}
