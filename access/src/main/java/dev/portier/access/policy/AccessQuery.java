package dev.portier.access.policy;

import dev.portier.access.identity.Identity;

/** The question the access core answers: may this identity open this channel kind on target/account now? */
public record AccessQuery(Identity identity, String target, String account, ChannelKind channel) {
}
