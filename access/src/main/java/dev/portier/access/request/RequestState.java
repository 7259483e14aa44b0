package dev.portier.access.request;

/** Where an access request stands. Only {@code PENDING} moves; every other state is final. */
public enum RequestState {
    PENDING, APPROVED, DENIED, EXPIRED, CANCELLED;

    public boolean isFinal() {
        return this != PENDING;
    }
}
