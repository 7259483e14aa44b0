package dev.portier.access.service;

import dev.portier.access.grant.Grant;
import dev.portier.access.request.AccessRequest;
import java.util.List;

/**
 * The filed request, the grant when it was granted at once (break-glass), and who can approve it.
 */
public record RequestResult(AccessRequest request, Grant grant, List<String> approvers) {
    public RequestResult {
        approvers = List.copyOf(approvers);
    }
}
