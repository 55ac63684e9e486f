package io.raftbed.chaos.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Where one direction of a connection hands its data, in order: the next toxic stage or the final
 * writer to the destination socket. Called only on the connection's event loop.
 */
interface Outlet {
  /** Takes ownership of {@code chunk} (releases it or passes it on). */
  void data(ByteBuf chunk);

  /** Writes what was handed over so far to the socket. */
  void flush();

  /** The input ended: after the data already handed over, the direction closes. */
  void end();
}
