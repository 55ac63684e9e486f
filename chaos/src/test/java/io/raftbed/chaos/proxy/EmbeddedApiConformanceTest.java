package io.raftbed.chaos.proxy;

/** {@link ApiConformanceSuite} against the embedded {@link FaultProxyServer}; runs in {@code mvn verify}. */
class EmbeddedApiConformanceTest extends ApiConformanceSuite {
  @Override
  Target openTarget() throws Exception {
    return Targets.embedded();
  }
}
