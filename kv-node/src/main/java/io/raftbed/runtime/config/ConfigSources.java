package io.raftbed.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies option values that are not on the command line, from the environment first and then the
 * config file: so the precedence is flags, then environment, then file, then built-in defaults.
 *
 * <p>Option {@code --tick-interval-millis} is read from the environment variable
 * {@code RAFTBED_TICK_INTERVAL_MILLIS} and from the file key {@code tick-interval-millis}. The file
 * is Java properties ({@code key = value} lines, {@code #} comments), named by {@code --config} or
 * {@code RAFTBED_CONFIG}. An unknown key in the file is an error, so that a typo is not ignored.
 */
public final class ConfigSources implements CommandLine.IDefaultValueProvider {
  public static final String ENV_PREFIX = "RAFTBED_";

  private final Map<String, String> env;
  private final Properties file;
  private final Path filePath;

  private ConfigSources(Map<String, String> env, Properties file, Path filePath) {
    this.env = Map.copyOf(env);
    this.file = file;
    this.filePath = filePath;
  }

  /**
   * Finds the config file ({@code --config FILE}, {@code --config=FILE} or {@code RAFTBED_CONFIG})
   * and reads it; throws {@link IllegalArgumentException} if it is named but unreadable.
   */
  public static ConfigSources from(String[] args, Map<String, String> env) {
    String path = env.get(ENV_PREFIX + "CONFIG");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        path = args[i + 1];
      } else if (args[i].startsWith("--config=")) {
        path = args[i].substring("--config=".length());
      }
    }
    Properties props = new Properties();
    Path p = path == null ? null : Path.of(path);
    if (p != null) {
      try (Reader r = Files.newBufferedReader(p)) {
        props.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read config file " + p + ": " + e.getMessage(), e);
      }
    }
    return new ConfigSources(env, props, p);
  }

  /** The environment variable that sets {@code --option-name}. */
  public static String envName(String longOption) {
    return ENV_PREFIX + longOption.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.longestName().equals("--config")) {
      return null;
    }
    String fromEnv = env.get(envName(option.longestName()));
    if (fromEnv != null) {
      return fromEnv;
    }
    return file.getProperty(option.longestName().replaceFirst("^--", ""));
  }

  /** Throws if the file names a key that is not an option of {@code spec}. */
  public void checkFileKeys(CommandLine.Model.CommandSpec spec) {
    Set<String> known = new TreeSet<>();
    spec.options().forEach(o -> known.add(o.longestName().replaceFirst("^--", "")));
    for (String key : file.stringPropertyNames()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "' in config file " + filePath + "; known keys: "
            + known);
      }
    }
  }
}
