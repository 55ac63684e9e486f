package io.raftbed.chaos.proxy;

/**
 * One toxic of a proxy as the API shows it: {@code name} (defaults to {@code <type>_<stream>}),
 * {@code type}, {@code stream} (defaults to downstream), {@code toxicity} (the probability that the
 * toxic acts on a given connection, defaults to 1.0) and {@code attributes}. Toxiproxy README,
 * "Toxic fields"; {@code toxics.ToxicWrapper} in {@code toxics/toxic.go}. Immutable.
 */
record ToxicSpec(String name, Direction stream, float toxicity, ToxicAttributes attributes) {
  ToxicType type() {
    return attributes.type();
  }

  ToxicSpec with(float newToxicity, ToxicAttributes newAttributes) {
    return new ToxicSpec(name, stream, newToxicity, newAttributes);
  }
}
