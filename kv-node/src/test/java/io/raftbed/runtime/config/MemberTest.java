package io.raftbed.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The configuration address form {@code HOST:PEER_PORT|http://HOST:HTTP_PORT}. */
class MemberTest {
  @Test
  void anAddressRoundTrips() {
    Member m = new Member(4, "127.0.0.1", 9084, 8084);
    assertEquals("127.0.0.1:9084|http://127.0.0.1:8084", m.address());
    assertEquals(m, Member.fromAddress(4, m.address()));
    Member v6 = new Member(5, "::1", 9085, 8085);
    assertEquals("[::1]:9085|http://[::1]:8085", v6.address());
    assertEquals(v6, Member.fromAddress(5, v6.address()));
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "127.0.0.1:9084; has no '|'",
      "127.0.0.1:9084|127.0.0.1:8084; must start with http://",
      "127.0.0.1:9084|http://127.0.0.2:8084; a node serves both on one host",
      "127.0.0.1|http://127.0.0.1:8084; is not HOST:PORT",
      "127.0.0.1:x|http://127.0.0.1:8084; no numeric port",
      "127.0.0.1:70000|http://127.0.0.1:8084; outside 1..65535",
      "127.0.0.1:9084|http://127.0.0.1:8084/path; no numeric port"})
  void aBadAddressIsNamed(String address, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Member.fromAddress(4, address));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
