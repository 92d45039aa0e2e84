# Sourced by bin/catchment and mvnw. Picks a JDK: $JAVA_HOME when it is new enough,
# otherwise the newest JDK found in the usual folders, otherwise `java` on PATH.
# Usage: find_jdk MIN_MAJOR  -> prints the JDK home, or fails with a message.

jdk_major() { # $1 = JDK home; prints its major version or nothing
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

find_jdk() {
  min=$1
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(jdk_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$min" ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  best=""; best_v=0
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
              /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$home" ] || continue
    v=$(jdk_major "$home")
    if [ -n "$v" ] && [ "$v" -ge "$min" ] && [ "$v" -gt "$best_v" ]; then best=$home; best_v=$v; fi
  done
  if [ -z "$best" ] && command -v java >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    v=$(jdk_major "$home")
    if [ -n "$v" ] && [ "$v" -ge "$min" ]; then best=$home; fi
  fi
  if [ -z "$best" ]; then
    echo "No JDK $min or newer found (looked at JAVA_HOME, /usr/lib/jvm, /usr/java, /opt, ~/.sdkman and PATH)." >&2
    echo "Install one (for example Temurin 25) or point JAVA_HOME at it." >&2
    return 1
  fi
  echo "$best"
}
