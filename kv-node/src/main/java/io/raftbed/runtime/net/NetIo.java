package io.raftbed.runtime.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The Netty transport the runtime uses: NIO, which runs on every JDK and OS. One place to change
 * should a native transport be added.
 */
public final class NetIo {
  private NetIo() {}

  /** A group of {@code threads} event loops whose threads are named {@code name-N}; daemon threads. */
  public static EventLoopGroup newGroup(int threads, String name) {
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
  }

  public static Class<? extends SocketChannel> socketChannel() {
    return NioSocketChannel.class;
  }

  public static Class<? extends ServerSocketChannel> serverChannel() {
    return NioServerSocketChannel.class;
  }
}
