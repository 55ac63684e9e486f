package io.raftbed.chaos.proxy;

/** {@link ToxicConformanceSuite} against the embedded {@link FaultProxyServer}; runs in {@code mvn verify}. */
class EmbeddedToxicConformanceTest extends ToxicConformanceSuite {
  @Override
  Target openTarget() throws Exception {
    return Targets.embedded();
  }
}
