package dev.portier.access.sod;

import dev.portier.access.identity.Identity;

/** Whom a message speaks of: the person reading it ("you have") or someone else ("alice has"). */
record Addressee(String name, boolean reader) {
    static final Addressee YOU = new Addressee("you", true);

    static Addressee of(Identity other) {
        return new Addressee(other.user(), false);
    }

    /** {@code you have} / {@code alice has}. */
    String has() {
        return reader ? "you have" : name + " has";
    }

    /** {@code you already hold} / {@code alice already holds}. */
    String alreadyHolds() {
        return reader ? "you already hold" : name + " already holds";
    }

    /** {@code your} / {@code alice's}. */
    String whose() {
        return reader ? "your" : name + "'s";
    }
}
