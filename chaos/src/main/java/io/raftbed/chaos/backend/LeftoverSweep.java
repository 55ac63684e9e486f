package io.raftbed.chaos.backend;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Container;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;

/**
 * Finds and removes what a {@link ContainerBackend} run left in the engine: containers and networks
 * labelled {@value ContainerBackend#RUN_LABEL} (with one run's id, or any). Ryuk, Testcontainers' own
 * reaper, cannot be pulled here, so this is the only clean-up. Never throws from {@link #removeAll}.
 *
 * <p>Stateless apart from the run id; thread-safe.
 */
public final class LeftoverSweep {
  private final String runId;

  /** @param runId one run's id, or null for every run's leftovers */
  public LeftoverSweep(String runId) {
    this.runId = runId;
  }

  private String labelFilter() {
    return runId == null ? ContainerBackend.RUN_LABEL : ContainerBackend.RUN_LABEL + "=" + runId;
  }

  /** Names of containers (any state) that carry the label. */
  public List<String> containers() {
    DockerClient docker = DockerClientFactory.instance().client();
    List<String> names = new ArrayList<>();
    for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(labelFilter())).exec()) {
      names.add(c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId());
    }
    return names;
  }

  /** Names of networks that carry the label. */
  public List<String> networks() {
    DockerClient docker = DockerClientFactory.instance().client();
    return docker.listNetworksCmd().withFilter("label", List.of(labelFilter())).exec().stream()
        .map(com.github.dockerjava.api.model.Network::getName).toList();
  }

  /** Removes the labelled containers (forcibly, with their anonymous volumes), then the networks. */
  public void removeAll(Network network) {
    DockerClient docker;
    try {
      docker = DockerClientFactory.instance().client();
    } catch (RuntimeException e) {
      return; // no engine: nothing can be left in it
    }
    try {
      for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(labelFilter())).exec()) {
        try {
          docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        } catch (DockerException e) {
          // already gone, or removal in progress
        }
      }
    } catch (RuntimeException e) {
      // the engine went away; nothing more to do
    }
    if (network != null) {
      try {
        network.close();
      } catch (RuntimeException e) {
        // removed below by label, or never created
      }
    }
    try {
      for (com.github.dockerjava.api.model.Network n : docker.listNetworksCmd().withFilter("label", List.of(labelFilter())).exec()) {
        try {
          docker.removeNetworkCmd(n.getId()).exec();
        } catch (DockerException e) {
          // already gone
        }
      }
    } catch (RuntimeException e) {
      // the engine went away
    }
  }
}
