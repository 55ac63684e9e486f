package io.raftbed.sim.fault;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Parsing and printing sets of fault types ({@code partition,crash,messages} or {@code all}). */
public final class FaultTypes {
  private FaultTypes() {}

  public static Set<FaultType> parse(String text) {
    String t = text.trim();
    if (t.equals("all")) {
      return EnumSet.allOf(FaultType.class);
    }
    if (t.isEmpty() || t.equals("none")) {
      return EnumSet.noneOf(FaultType.class);
    }
    Set<FaultType> out = EnumSet.noneOf(FaultType.class);
    for (String part : t.split(",")) {
      out.add(FaultType.parse(part));
    }
    return out;
  }

  public static String print(Set<FaultType> types) {
    return types.isEmpty() ? "none" : ordered(types).stream().map(FaultType::label).collect(Collectors.joining(","));
  }

  /** The types in declaration order, for deterministic draws. */
  public static List<FaultType> ordered(Set<FaultType> types) {
    List<FaultType> out = new ArrayList<>(Arrays.asList(FaultType.values()));
    out.retainAll(types);
    return out;
  }
}
