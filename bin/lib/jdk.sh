# Sourced by bin/* and .ci/run: finds a JDK 21 or newer and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME, `java` on the PATH, then /usr/lib/jvm/* and /opt/* (newest first).

raftbed_java_major() {   # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

raftbed_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in $(ls -d /usr/lib/jvm/* /opt/*jdk* /opt/java/* 2>/dev/null | sort -rV); do
    candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(raftbed_java_major "$c/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$c"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "raftbed needs a JDK 21 or newer (java and javac). None was found in \$JAVA_HOME," >&2
  echo "on the PATH, or under /usr/lib/jvm and /opt. Install one (Debian: apt-get install" >&2
  echo "openjdk-21-jdk, or Temurin 21+), or point JAVA_HOME at it." >&2
  return 1
}
