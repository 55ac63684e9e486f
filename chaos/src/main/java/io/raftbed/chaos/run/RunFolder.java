package io.raftbed.chaos.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.raftbed.chaos.nemesis.FaultLog;
import io.raftbed.linearizability.CheckResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The folder of one run: scenario, plan, fault log, history, verdict, summary, timeline, node logs,
 * proxies and a README saying how to re-run it. Files are written as the run goes (the fault log
 * as faults end), so a run that dies midway leaves what it had.
 */
final class RunFolder {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;

  RunFolder(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  Path dir() {
    return dir;
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  void prepare(String scenarioText) throws IOException {
    Files.createDirectories(dir.resolve("nodes"));
    Files.writeString(file("scenario.yaml"), scenarioText);
  }

  void writeJson(String name, Object value) throws IOException {
    JSON.writeValue(file(name).toFile(), value);
  }

  /** Writes the verdict, the summary (JSON and text) and the README; returns {@code summary}. */
  RunSummary finish(RunSummary summary, CheckResult lin, FaultLog faultLog) throws IOException {
    Verdict v = summary.verdict();
    Map<String, Object> checks = new LinkedHashMap<>();
    Map<String, Object> linearizability = new LinkedHashMap<>();
    linearizability.put("result", v.linearizability());
    linearizability.put("detail", v.linearizabilityDetail());
    if (lin != null) {
      linearizability.put("keys", lin.partitions().size());
      linearizability.put("elapsedMillis", lin.elapsed().toMillis());
    }
    checks.put("linearizability", linearizability);
    checks.put("liveness", check(v.liveness()));
    checks.put("durability", check(v.durability()));
    Map<String, Object> verdict = new LinkedHashMap<>();
    verdict.put("verdict", v.word());
    verdict.put("checks", checks);
    verdict.put("violations", v.violations());
    verdict.put("undecided", v.undecided());
    verdict.put("exitCode", v.exitCode());
    writeJson("verdict.json", verdict);
    writeJson("summary.json", summary.json());
    Files.writeString(file("summary.txt"), summary.text());
    Files.writeString(file("README.md"), readme(summary));
    return summary;
  }

  private static Map<String, Object> check(Verdict.Check c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ran", c.ran());
    m.put("ok", c.ok());
    m.put("detail", c.detail());
    return m;
  }

  private static String readme(RunSummary s) {
    return "# Chaos run: " + s.scenario() + " (seed " + s.seed() + ")\n\n"
        + "Verdict: **" + s.verdict().word() + "** (exit code " + s.verdict().exitCode() + ")"
        + (s.canary() == null ? "" : ", with the unsafe canary `" + s.canary() + "` on") + ".\n\n"
        + "```\n" + s.text() + "```\n\n"
        + "Re-run it (the seed fixes the fault schedule and the workload's choices; the real cluster's timing is not"
        + " deterministic, so a re-run is a new trial of the same plan):\n\n```sh\n" + s.rerun() + "\n```\n\n"
        + "Check the history again: `bin/raftbed check history.edn --model multi-register`.\n\n"
        + "| file | what it holds |\n|---|---|\n"
        + "| scenario.yaml | the script as given |\n"
        + "| plan.txt | the fault timeline drawn from the seed |\n"
        + "| faults.jsonl | every fault as it happened: kind, nodes, detail, wall-clock start and end (epoch ms) |\n"
        + "| history.edn | the clients' Jepsen history (`:time` in ns since summary.json's startMs) |\n"
        + "| verdict.json | each check's result |\n"
        + "| summary.json, summary.txt | counts and verdict |\n"
        + "| timeline.html | the checker's timeline of the history (the conflict, when there is one) |\n"
        + "| proxies.json | the fault proxies: one per directed peer link, forward link and client link |\n"
        + "| nodes/nN.log | each node's output across its restarts |\n"
        + "| nodes/nN/data | each node's data directory (its write-ahead log) |\n";
  }
}
