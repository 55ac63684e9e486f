# Sourced by bin/* and .ci/run: finds a JDK 21 or newer and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME, `java` on the PATH, then /usr/lib/jvm/* and /opt/* (newest first).

raftbed_java_major() {   # prints the major version of the java binary $1, or nothing
  # The JDK's release file says it without starting a JVM (a start costs 50-300 ms) or any other
  # process (bash builtins only: bin/raftbed check aims at a fast start); else ask java.
  local release="${1%/bin/java}/release" key value
  if [ -r "$release" ]; then
    while IFS='=' read -r key value; do
      if [ "$key" = JAVA_VERSION ]; then
        value="${value//\"/}"
        value="${value#1.}"
        echo "${value%%[!0-9]*}"
        return
      fi
    done < "$release"
  fi
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

raftbed_try_jdk() {   # exports JAVA_HOME and PATH, sets RAFTBED_JAVA_MAJOR, succeeds if $1 is a JDK 21+
  local c="$1" major
  [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || return 1
  major=$(raftbed_java_major "$c/bin/java")
  [ -n "$major" ] && [ "$major" -ge 21 ] || return 1
  RAFTBED_JAVA_MAJOR="$major"
  export JAVA_HOME="$c"
  export PATH="$JAVA_HOME/bin:$PATH"
}

raftbed_find_jdk() {
  local c javac
  # Candidates in order, tried lazily (each look-up costs processes, and the first usually fits).
  if [ -n "${JAVA_HOME:-}" ] && raftbed_try_jdk "$JAVA_HOME"; then
    return 0
  fi
  if javac=$(command -v javac); then
    javac=$(readlink -f "$javac")
    raftbed_try_jdk "${javac%/bin/javac}" && return 0
  fi
  for c in $(ls -d /usr/lib/jvm/* /opt/*jdk* /opt/java/* 2>/dev/null | sort -rV); do
    raftbed_try_jdk "$c" && return 0
  done
  echo "raftbed needs a JDK 21 or newer (java and javac). None was found in \$JAVA_HOME," >&2
  echo "on the PATH, or under /usr/lib/jvm and /opt. Install one (Debian: apt-get install" >&2
  echo "openjdk-21-jdk, or Temurin 21+), or point JAVA_HOME at it." >&2
  return 1
}
