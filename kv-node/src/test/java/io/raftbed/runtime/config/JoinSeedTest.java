package io.raftbed.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a joining node takes from {@code GET /cluster}, and keeps in its data directory. */
class JoinSeedTest {
  @TempDir
  Path dir;

  private static final String CLUSTER = """
      {"id":2,"clusterId":"prod","role":"follower","leaderId":1,
       "voters":[2,3,5],"learners":[6],
       "members":[{"id":2,"address":"127.0.0.1:9082|http://127.0.0.1:8082"},
                  {"id":3,"address":"127.0.0.1:9083|http://127.0.0.1:8083"},
                  {"id":5,"address":"127.0.0.1:9085|http://127.0.0.1:8085"},
                  {"id":6,"address":null}],
       "initialVoters":[1,2,3]}""";

  @Test
  void theSeedTakesTheFoundingVotersAndEveryKnownAddress() throws Exception {
    JoinSeed seed = JoinSeed.fromJson(new ObjectMapper().readTree(CLUSTER), "test");
    assertEquals("prod", seed.clusterId());
    assertEquals(List.of(1, 2, 3), seed.initialVoters(), "the configuration at index 0, not today's voters");
    assertEquals(List.of(2, 3, 5, 6), seed.memberIds());
    assertEquals(List.of(2, 3, 5), seed.members().stream().map(Member::id).toList(), "6 has no known address");
    seed.save(dir);
    assertEquals(Optional.of(seed), JoinSeed.load(dir));
  }

  @Test
  void aDamagedSeedIsAnErrorNotAFreshJoin() throws Exception {
    Files.writeString(dir.resolve(JoinSeed.FILE), "{\"clusterId\":\"prod\"}");
    IOException e = assertThrows(IOException.class, () -> JoinSeed.load(dir));
    assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    assertEquals(Optional.empty(), JoinSeed.load(dir.resolve("nowhere")));
  }

  @Test
  void anOldNodeWithoutFoundingVotersIsNamed() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JoinSeed.fromJson(new ObjectMapper().readTree("{\"id\":1,\"members\":[]}"), "http://x/cluster"));
    assertTrue(e.getMessage().contains("http://x/cluster lacks"), e.getMessage());
  }
}
