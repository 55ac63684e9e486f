package io.raftbed.chaos.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How the container backend reads Docker's failures, which Testcontainers wraps twice. */
class ContainerBackendMessagesTest {
  private static RuntimeException wrapped(String dockerSays) {
    RuntimeException docker = new RuntimeException(dockerSays + "\n");
    return new IllegalStateException("Container startup failed for image raftbed/node",
        new IllegalStateException("Could not create/start container", docker));
  }

  @Test
  void theInnermostCauseIsNamedAfterTheOutermost() {
    assertEquals("Container startup failed for image raftbed/node: driver failed: Bind for 127.0.0.1:32793 failed:"
        + " port is already allocated",
        ContainerBackend.rootMessage(wrapped("driver failed: Bind for 127.0.0.1:32793 failed: port is already allocated")));
    // the backend's own IOException already quotes Docker's words: they are not repeated
    String once = "n1's container did not start: " + ContainerBackend.rootMessage(wrapped("no room"));
    assertEquals(once, ContainerBackend.rootMessage(new java.io.IOException(once, wrapped("no room"))));
    assertEquals("alone", ContainerBackend.rootMessage(new RuntimeException("alone")));
    assertEquals("NullPointerException", ContainerBackend.rootMessage(new NullPointerException()));
  }

  @Test
  void bothWaysDockerSaysAHostPortIsTakenAreRecognizedAndNothingElse() {
    // the allocator's words (the port is another container's) and the userland proxy's (another program's)
    assertTrue(ContainerBackend.hostPortTaken(wrapped("Bind for 127.0.0.1:32793 failed: port is already allocated")));
    assertTrue(ContainerBackend.hostPortTaken(
        wrapped("Error starting userland proxy: listen tcp4 127.0.0.1:24011: bind: address already in use")));
    assertFalse(ContainerBackend.hostPortTaken(wrapped("OCI runtime create failed: no such file or directory")));
    assertFalse(ContainerBackend.hostPortTaken(new RuntimeException("no such image")));
  }
}
