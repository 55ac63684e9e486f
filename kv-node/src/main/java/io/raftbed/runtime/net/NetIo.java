package io.raftbed.runtime.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The Netty transport the runtime uses: native epoll where it loads (Linux x86-64: fewer syscalls and
 * less garbage than NIO's selector), NIO everywhere else or when {@code -Draftbed.nio=true}. Every
 * group and channel class comes from here, so they always match.
 */
public final class NetIo {
  private static final boolean EPOLL = !Boolean.getBoolean("raftbed.nio") && Epoll.isAvailable();

  private NetIo() {}

  /** Which transport is in use: "epoll" or "nio". */
  public static String transportName() {
    return EPOLL ? "epoll" : "nio";
  }

  /** A group of {@code threads} event loops whose threads are named {@code name-N}; daemon threads. */
  public static EventLoopGroup newGroup(int threads, String name) {
    IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
  }

  public static Class<? extends SocketChannel> socketChannel() {
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  public static Class<? extends ServerSocketChannel> serverChannel() {
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }
}
