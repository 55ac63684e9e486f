package io.raftbed.chaos.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.raftbed.runtime.net.NetIo;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * One client connection accepted by a {@link FaultProxy} and its connection to the upstream: two
 * {@link Link}s, upstream (client to server) and downstream (server to client), each with its own
 * chain of toxic stages. As in Toxiproxy ({@code proxy.go}, {@code link.go}), the end of either
 * direction closes the destination socket once that direction's toxics have handed everything on,
 * which in turn ends the other direction: there is no half-close. If the upstream cannot be reached
 * the client's connection is closed.
 *
 * <p>Threading: both sockets are on one event loop, which owns every field after {@link #open}; other
 * threads change toxics through {@link #submit}, which runs the change on that loop.
 */
final class ProxyConnection {
  private final FaultProxy proxy;
  private final Channel client;
  private final EventLoop loop;
  private Channel upstream;
  private Link upLink;
  private Link downLink;
  private int openSockets = 2;
  private boolean disposed;

  ProxyConnection(FaultProxy proxy, Channel client) {
    this.proxy = proxy;
    this.client = client;
    this.loop = client.eventLoop();
  }

  /** The handler of the accepted client socket. */
  ChannelInboundHandlerAdapter clientHandler() {
    return new SideHandler(true);
  }

  /** Called on the loop when the client socket is active: register, build the links, dial. */
  private void open() {
    List<ToxicSpec> toxics = proxy.register(this, client.parent());
    if (toxics == null) {
      client.close();
      return;
    }
    Bootstrap dial = new Bootstrap()
        .group(loop)
        .channel(NetIo.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .handler(new SideHandler(false));
    ChannelFuture connecting = dial.connect(proxy.upstreamAddress());
    upstream = connecting.channel();
    upLink = new Link(this, Direction.UPSTREAM, client, upstream);
    downLink = new Link(this, Direction.DOWNSTREAM, upstream, client);
    for (ToxicSpec t : toxics) {
      (t.stream() == Direction.UPSTREAM ? upLink : downLink).add(t);
    }
    connecting.addListener(f -> {
      if (f.isSuccess() && client.isActive()) {
        client.config().setAutoRead(true);
        upLink.updateReadInterest();
      } else {
        close();
      }
    });
    // Close futures complete even for a socket that never connected, unlike channelInactive.
    client.closeFuture().addListener(f -> socketGone());
    upstream.closeFuture().addListener(f -> socketGone());
  }

  /** Runs {@code change} on this connection's loop unless the connection is gone. */
  Future<?> submit(Consumer<ProxyConnection> change) {
    return loop.submit(() -> {
      if (!disposed && upLink != null) {
        change.accept(this);
      }
    });
  }

  Link link(Direction d) {
    return d == Direction.UPSTREAM ? upLink : downLink;
  }

  /** Closes both sockets now (proxy disabled or deleted: Toxiproxy's {@code conn.Close()}); any thread. */
  void close() {
    if (loop.inEventLoop()) {
      client.close();
      if (upstream != null) {
        upstream.close();
      }
    } else {
      loop.execute(this::close);
    }
  }

  /** Resets both sockets: close with SO_LINGER 0, which sends RST and discards unsent data. */
  void reset() {
    for (Channel c : new Channel[] {client, upstream}) {
      if (c != null && c.isOpen()) {
        c.config().setOption(ChannelOption.SO_LINGER, 0);
        c.close();
      }
    }
  }

  /** A socket's input ended: its direction hands on what its toxics hold, then closes its peer. */
  private void inputEnded(boolean clientSide) {
    Link from = clientSide ? upLink : downLink;
    if (from != null && !disposed) {
      from.head().end();
      from.head().flush();
    }
  }

  private void socketGone() {
    if (--openSockets > 0 || disposed) {
      return;
    }
    disposed = true;
    upLink.dispose();
    downLink.dispose();
    proxy.unregister(this);
  }

  /** Reads one socket into the link it feeds; writability of the socket steers the other link. */
  private final class SideHandler extends ChannelInboundHandlerAdapter {
    private final boolean clientSide;

    SideHandler(boolean clientSide) {
      this.clientSide = clientSide;
    }

    private Link from() {
      return clientSide ? upLink : downLink;
    }

    private Link into() {
      return clientSide ? downLink : upLink;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      if (clientSide) {
        open();
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Link link = from();
      if (link == null || disposed) {
        ((ByteBuf) msg).release();
        return;
      }
      link.head().data((ByteBuf) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      Link link = from();
      if (link != null && !disposed) {
        link.head().flush();
        link.updateReadInterest();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      Link link = into();
      if (link != null && !disposed) {
        link.updateReadInterest();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      inputEnded(clientSide);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // Resets and broken pipes are what a fault proxy sees all day; the socket just closes.
      ctx.close();
    }
  }
}
