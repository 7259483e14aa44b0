package dev.portier.gateway.ssh;

import dev.portier.gateway.core.Auditor;
import java.io.IOException;
import java.util.Map;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.helpers.AbstractConnectionServiceRequestHandler;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.session.ServerSession;

/**
 * Refuses every kind of forwarding (local and remote TCP, agent, X11), tells the user and audits it. A PAM
 * bastion that forwards ports becomes an unrecorded tunnel into the network.
 */
final class ForwardingRefusal implements ForwardingFilter {
    private final Auditor audit;

    ForwardingRefusal(Auditor audit) {
        this.audit = audit;
    }

    void refuse(Session session, String what, String detail) {
        GatewaySession gs = session instanceof ServerSession ss ? GatewaySession.of(ss) : null;
        String user = gs == null || gs.userName() == null ? session.getUsername() : gs.userName();
        audit.record("forwarding.refused", user, gs == null || gs.login() == null ? null : gs.login().target(),
                gs == null ? null : gs.id(), "deny", what + " is not allowed through Portier",
                Map.of("kind", what, "detail", detail == null ? "" : detail));
        if (gs != null) {
            gs.notice("portier: " + what + " is not allowed through Portier and was refused");
        }
    }

    @Override
    public boolean canForwardAgent(Session session, String requestType) {
        refuse(session, "agent forwarding", requestType);
        return false;
    }

    @Override
    public boolean canForwardX11(Session session, String requestType) {
        refuse(session, "X11 forwarding", requestType);
        return false;
    }

    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
        refuse(session, "remote port forwarding", String.valueOf(address));
        return false;
    }

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
        refuse(session, "port forwarding", type + " " + address);
        return false;
    }

    /**
     * Session channels whose agent and X11 requests are refused here: MINA answers them without consulting
     * the forwarding filter when no agent factory is set, so the user would not be told and nothing audited.
     */
    ChannelFactory sessionChannels() {
        return new ChannelFactory() {
            @Override
            public String getName() {
                return "session";
            }

            @Override
            public Channel createChannel(Session session) {
                return new ChannelSession() {
                    @Override
                    protected RequestHandler.Result handleAgentForwardingParsed(String requestType) {
                        refuse(getSession(), "agent forwarding", requestType);
                        return RequestHandler.Result.ReplyFailure;
                    }

                    @Override
                    protected RequestHandler.Result handleX11ForwardingParsed(String requestType,
                            ServerSession serverSession, boolean singleConnection, String authProtocol,
                            String authCookie, int screenId) {
                        refuse(getSession(), "X11 forwarding", requestType);
                        return RequestHandler.Result.ReplyFailure;
                    }
                };
            }
        };
    }

    /** Answers {@code direct-tcpip} channel opens ({@code ssh -L}) with a refusal instead of a tunnel. */
    ChannelFactory directTcpip() {
        return new ChannelFactory() {
            @Override
            public String getName() {
                return "direct-tcpip";
            }

            @Override
            public Channel createChannel(Session session) {
                refuse(session, "port forwarding (ssh -L/-D)", null);
                return null;
            }
        };
    }

    /** Answers {@code tcpip-forward} global requests ({@code ssh -R}) with a refusal. */
    AbstractConnectionServiceRequestHandler remoteForward() {
        return new AbstractConnectionServiceRequestHandler() {
            @Override
            public Result process(ConnectionService service, String request, boolean wantReply, Buffer buffer)
                    throws IOException {
                if (!"tcpip-forward".equals(request) && !"cancel-tcpip-forward".equals(request)) {
                    return Result.Unsupported;
                }
                String address = buffer.getString();
                long port = buffer.getUInt();
                refuse(service.getSession(), "remote port forwarding (ssh -R)", address + ":" + port);
                return Result.ReplyFailure;
            }
        };
    }
}
