package io.raftbed.chaos.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Small TCP servers on loopback that the conformance tests put behind proxies: each accepted
 * connection runs a {@link Behaviour} on a virtual thread. Every server closes its sockets on
 * {@link Server#close}.
 */
final class TestServers {
  private TestServers() {}

  /** What a server does with one accepted connection. */
  interface Behaviour {
    void serve(Socket s, AtomicLong receivedBytes) throws IOException;
  }

  /** Echoes every byte back. */
  static Server echo() throws IOException {
    return new Server((s, received) -> {
      byte[] buffer = new byte[1 << 16];
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        received.addAndGet(n);
        out.write(buffer, 0, n);
        out.flush();
      }
    });
  }

  /** On connect, writes {@code payload}; then closes if {@code closeAfter}, else drains the input. */
  static Server sender(byte[] payload, boolean closeAfter) throws IOException {
    return new Server((s, received) -> {
      s.getOutputStream().write(payload);
      s.getOutputStream().flush();
      if (!closeAfter) {
        drain(s, received);
      }
    });
  }

  /** Reads {@code expectedBytes}, then answers one byte 'A' and keeps reading. */
  static Server sink(long expectedBytes) throws IOException {
    return new Server((s, received) -> {
      byte[] buffer = new byte[1 << 16];
      InputStream in = s.getInputStream();
      long left = expectedBytes;
      for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0; ) {
        received.addAndGet(n);
        left -= n;
      }
      s.getOutputStream().write('A');
      s.getOutputStream().flush();
      drain(s, received);
    });
  }

  /** Accepts and never reads: whatever is sent piles up in socket buffers. */
  static Server stalled() throws IOException {
    return new Server((s, received) -> {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  private static void drain(Socket s, AtomicLong received) throws IOException {
    byte[] buffer = new byte[1 << 16];
    InputStream in = s.getInputStream();
    for (int n; (n = in.read(buffer)) >= 0; ) {
      received.addAndGet(n);
    }
  }

  /** A listening server; {@link #receivedBytes} counts bytes it read on all connections. */
  static final class Server implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    final AtomicLong receivedBytes = new AtomicLong();

    Server(Behaviour behaviour) throws IOException {
      socket = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
      threads.add(Thread.ofVirtual().start(() -> acceptLoop(behaviour)));
    }

    int port() {
      return socket.getLocalPort();
    }

    private void acceptLoop(Behaviour behaviour) {
      while (!socket.isClosed()) {
        Socket s;
        try {
          s = socket.accept();
        } catch (IOException e) {
          return;
        }
        accepted.add(s);
        threads.add(Thread.ofVirtual().start(() -> {
          try (s) {
            s.setTcpNoDelay(true);
            behaviour.serve(s, receivedBytes);
          } catch (IOException e) {
            // The proxy or the test closed the connection; that is what most tests provoke.
          }
        }));
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      accepted.forEach(quietly(Socket::close));
      threads.forEach(Thread::interrupt);
    }

    private static Consumer<Socket> quietly(SocketAction action) {
      return s -> {
        try {
          action.apply(s);
        } catch (IOException e) {
          // closing anyway
        }
      };
    }

    private interface SocketAction {
      void apply(Socket s) throws IOException;
    }
  }
}
