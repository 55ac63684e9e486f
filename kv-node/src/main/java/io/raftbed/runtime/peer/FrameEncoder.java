package io.raftbed.runtime.peer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.raftbed.raft.Message;

/**
 * Encodes outbound {@link Message}s and {@link PeerFrame.Hello}s into frames with {@link PeerCodec}.
 * Stateless; one instance serves every channel.
 */
@Sharable
final class FrameEncoder extends MessageToByteEncoder<Object> {
  static final FrameEncoder INSTANCE = new FrameEncoder();

  private FrameEncoder() {
    super(Object.class, true);
  }

  @Override
  public boolean acceptOutboundMessage(Object msg) {
    return msg instanceof Message || msg instanceof PeerFrame.Hello;
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Object msg, boolean preferDirect) {
    int size = msg instanceof Message m ? PeerCodec.frameBytes(m) : 300;
    return ctx.alloc().ioBuffer(size);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
    if (msg instanceof Message m) {
      PeerCodec.encode(m, out);
    } else {
      PeerCodec.encodeHello((PeerFrame.Hello) msg, out);
    }
  }
}
