package dev.portier.gateway.ssh;

import dev.portier.access.identity.Identity;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.RequestState;
import dev.portier.access.service.AccessException;
import dev.portier.access.service.AccessService;
import dev.portier.access.service.RequestResult;
import dev.portier.access.service.RequestSpec;
import dev.portier.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The inline flow: a user connects to a target without a grant; Portier asks for a reason and a duration,
 * files the request, shows who can approve, waits with a countdown, and continues into the session once
 * approved. Input arrives on the I/O thread; filing and waiting run on a worker.
 */
final class InlineRequest {
    private enum Step { REASON, DURATION, WAITING, DONE }

    private final Identity who;
    private final String target;
    private final String account;
    private final AccessService access;
    private final Executor worker;
    private final Consumer<String> out;
    private final Runnable onApproved;
    private final Consumer<Integer> onGiveUp;
    private final LineInput input;
    private volatile Step step = Step.REASON;
    private volatile String requestId;
    private String reason;

    InlineRequest(Identity who, String target, String account, String message, AccessService access, Executor worker,
            Consumer<String> out, Runnable onApproved, Consumer<Integer> onGiveUp) {
        this.who = who;
        this.target = target;
        this.account = account;
        this.access = access;
        this.worker = worker;
        this.out = out;
        this.onApproved = onApproved;
        this.onGiveUp = onGiveUp;
        this.input = new LineInput(true, out, new LineInput.Listener() {
            @Override
            public void line(String text) {
                onLine(text);
            }

            @Override
            public void interrupted() {
                giveUp();
            }
        });
        out.accept("portier: " + message + ".\r\nFile a request now? Reason (empty line to give up): ");
    }

    void input(byte[] data, int off, int len) {
        if (step != Step.DONE) {
            input.feed(data, off, len);
        }
    }

    private void onLine(String text) {
        switch (step) {
            case REASON -> {
                if (text.isEmpty()) {
                    giveUp();
                    return;
                }
                reason = text;
                step = Step.DURATION;
                out.accept("Duration, e.g. 30m or 2h (Enter for the policy's maximum): ");
            }
            case DURATION -> {
                Duration d = null;
                if (!text.isEmpty()) {
                    try {
                        d = Durations.parse(text);
                    } catch (IllegalArgumentException e) {
                        out.accept(PortierCommands.printable(e.getMessage()) + "\r\nDuration: ");
                        return;
                    }
                }
                step = Step.WAITING;
                Duration duration = d;
                worker.execute(() -> fileAndWait(duration));
            }
            default -> {
                // While waiting, typed lines are ignored; Ctrl-C gives up.
            }
        }
    }

    private void fileAndWait(Duration duration) {
        try {
            RequestResult r = access.request(who, new RequestSpec(target, account, reason, null, duration, null, false));
            requestId = r.request().id();
            out.accept("Request " + requestId + " filed. Who can approve: " + String.join(", ", r.approvers())
                    + ".\r\nWaiting for approval (Ctrl-C to give up)...\r\n");
            long shown = -1;
            while (step == Step.WAITING) {
                AccessRequest cur = access.request(who, requestId);
                if (cur.state() == RequestState.APPROVED) {
                    step = Step.DONE;
                    out.accept("\r\nApproved. Connecting to " + target + "...\r\n");
                    onApproved.run();
                    return;
                }
                if (cur.state() != RequestState.PENDING) {
                    step = Step.DONE;
                    out.accept("\r\nRequest " + requestId + " was " + cur.state().name().toLowerCase()
                            + (cur.comment() == null ? "" : ": " + PortierCommands.printable(cur.comment())) + "\r\n");
                    onGiveUp.accept(1);
                    return;
                }
                long left = Math.max(0, Duration.between(Instant.now(), cur.expires()).toSeconds());
                if (left / 10 != shown) {
                    shown = left / 10;
                    out.accept(String.format("\rStill waiting; the request expires in %dh%02dm%02ds ", left / 3600,
                            left % 3600 / 60, left % 60));
                }
                Thread.sleep(1000);
            }
        } catch (AccessException e) {
            step = Step.DONE;
            out.accept("portier: " + e.getMessage() + "\r\n");
            onGiveUp.accept(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            step = Step.DONE;
            onGiveUp.accept(1);
        }
    }

    private void giveUp() {
        Step was = step;
        step = Step.DONE;
        if (was == Step.WAITING && requestId != null) {
            worker.execute(() -> {
                try {
                    access.cancel(who, requestId);
                    out.accept("Request " + requestId + " cancelled.\r\n");
                } catch (AccessException e) {
                    out.accept("portier: " + e.getMessage() + "\r\n");
                }
                onGiveUp.accept(1);
            });
            return;
        }
        onGiveUp.accept(1);
    }
}
